package portal

// Attendance is whether an invited NGO came.
type Attendance string

// Attendance values; unknown until check-in.
const (
	AttendanceUnknown Attendance = "unknown"
	AttendancePresent Attendance = "present"
	AttendanceAbsent  Attendance = "absent"
	AttendanceExcused Attendance = "excused"
)

// CheckIn is what the check-in page records for one invited NGO.
type CheckIn struct {
	Attendance   Attendance
	ExcuseReason string  // required when Attendance is excused
	Present      []int64 // ids of the named representatives who came
}
