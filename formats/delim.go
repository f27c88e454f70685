package formats

// Delimiter tells the field delimiter of a delimited text file from its
// header line: tab, comma or semicolon, whichever occurs most often outside
// double quotes (ties: tab, then comma, then semicolon), never from the
// file's name (a tab-separated ".csv" is common). A header without any of
// them is one column; Delimiter returns a comma then.
func Delimiter(header []byte) byte {
	var tab, comma, semi int
	quoted := false
	for _, c := range header {
		switch c {
		case '"':
			quoted = !quoted
		case '\t':
			if !quoted {
				tab++
			}
		case ',':
			if !quoted {
				comma++
			}
		case ';':
			if !quoted {
				semi++
			}
		}
	}
	switch {
	case tab > 0 && tab >= comma && tab >= semi:
		return '\t'
	case comma > 0 && comma >= semi:
		return ','
	case semi > 0:
		return ';'
	}
	return ','
}
