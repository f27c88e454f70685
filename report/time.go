package report

import "time"

func dayTime(d float64) time.Time { return time.Unix(int64(d*86400), 0).UTC() }
