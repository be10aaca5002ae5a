package portal

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestValidateReturn(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name         string
		comment      string
		sections     map[string]string
		wantComment  string
		wantSections map[string]string
		wantErrs     map[string]string
	}{
		{"OK", "  请补充活动数据。 ", nil, "请补充活动数据。", map[string]string{}, nil},
		{"OKSectionOnly", "", map[string]string{SectionMedia: " 缺少阅读量 ", SectionPlan: "  "},
			"", map[string]string{SectionMedia: "缺少阅读量"}, nil},
		{"ErrCommentRequired", " ", map[string]string{SectionPlan: ""}, "", nil,
			map[string]string{"comment": "report.err.comment_required"}},
		{"ErrSectionInvalid", "", map[string]string{"cover": "看不清"}, "", nil,
			map[string]string{"comment": "report.err.section_invalid"}},
		{"ErrTooLong", strings.Repeat("长", MaxReturnComment+1),
			map[string]string{SectionActivities: strings.Repeat("长", MaxReturnSectionComment+1)}, "", nil,
			map[string]string{"comment": "report.err.too_long", "section_comments.activities": "report.err.too_long"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			comment, sections, err := ValidateReturn(tc.comment, tc.sections)
			if tc.wantErrs != nil {
				var ve *ValidationError
				if !errors.As(err, &ve) || !reflect.DeepEqual(ve.Fields, tc.wantErrs) {
					t.Fatalf("err = %v, want the fields %v", err, tc.wantErrs)
				}
				return
			}
			if err != nil || comment != tc.wantComment || !reflect.DeepEqual(sections, tc.wantSections) {
				t.Errorf("ValidateReturn = %q, %v, %v; want %q, %v", comment, sections, err, tc.wantComment, tc.wantSections)
			}
		})
	}
}
