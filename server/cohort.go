package server

// cohortView is the cohort dashboard's analyses (cohort.go).
type cohortView struct{}
