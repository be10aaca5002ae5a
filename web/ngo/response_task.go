package ngo

import "ngoportal/internal/portal"

// ResponseTaskRow is one task of answering the chair's requests on an NGO's
// home page: a session whose requests the NGO is asked to answer.
type ResponseTaskRow struct {
	portal.ResponseTask
	Path    string // the NGO's page of answers
	Overdue bool   // the date has passed with requests unanswered
}
