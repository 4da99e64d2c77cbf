// Package closest finds the names nearest to a misspelt one, for "did you
// mean" hints in messages.
package closest
