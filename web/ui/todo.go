package ui

// TodoItem is one entry of a home page's list of what needs doing: a link
// to where it is done and lines saying by when and what is left, already
// in the reader's language.
type TodoItem struct {
	Text    string // the link's text: what to do
	Path    string // where it is done
	Badge   string // a short state beside the link ("overdue"); "" for none
	Urgent  bool   // the item is overdue: its badge warns
	Details []string
}
