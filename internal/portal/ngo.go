package portal

// NGO is one women's NGO guided by the federation.
type NGO struct {
	ID              int64
	Slug            string
	NameZH          string
	NameEN          string
	ShortName       string
	Active          bool
	ShowInDirectory bool
}
