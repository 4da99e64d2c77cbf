package morphfile

import (
	"errors"
	"math"
)

// symmetricEigen returns the eigenvalues of the symmetric matrix a and its
// eigenvectors, as the columns of vecs, computed by the method NEURON's
// Matrix.symmeig uses: a Householder reflection to tridiagonal form, then
// implicit QR steps with Wilkinson shifts and Givens rotations. Going the
// same way matters: an eigenvector's sign is arbitrary, and the sign of a
// soma outline's major axis decides which end of the soma NEURON's 3-D
// points start from.
func symmetricEigen(a [3][3]float64) (vals [3]float64, vecs [3][3]float64, err error) {
	const n = 3
	for i := range n {
		for j := range n {
			if !finite(a[i][j]) {
				return vals, vecs, errors.New("outline coordinates too large")
			}
		}
	}
	t := a
	var beta, diag [n - 1]float64
	for k := range n - 1 {
		// The reflection that zeroes column k below its subdiagonal.
		var h [n]float64
		for i := range n {
			h[i] = t[i][k]
		}
		var sq float64
		for i := k + 1; i < n; i++ {
			sq += h[i] * h[i]
		}
		norm := math.Sqrt(sq)
		if norm <= 0 {
			diag[k] = h[k+1]
			continue
		}
		beta[k] = 1 / (norm * (norm + math.Abs(h[k+1])))
		top := norm
		if h[k+1] > 0 {
			top = -norm
		}
		t[k+1][k] = top
		h[k+1] -= top
		diag[k] = h[k+1]
		// Reflect rows k+1… of columns k+1…, then columns k+1… of all rows.
		var w [n]float64
		for i := k + 1; i < n; i++ {
			if h[i] != 0 {
				for j := k + 1; j < n; j++ {
					w[j] += h[i] * t[i][j]
				}
			}
		}
		for i := k + 1; i < n; i++ {
			if h[i] != 0 {
				s := -beta[k] * h[i]
				for j := k + 1; j < n; j++ {
					t[i][j] += s * w[j]
				}
			}
		}
		for i := range n {
			var ip float64
			for j := k + 1; j < n; j++ {
				ip += t[i][j] * h[j]
			}
			if s := beta[k] * ip; s != 0 {
				for j := k + 1; j < n; j++ {
					t[i][j] += -s * h[j]
				}
			}
		}
	}
	// Accumulate the reflections, last first, into the columns of vecs.
	for c := range n {
		var v [n]float64
		v[c] = 1
		for k := n - 2; k >= 0; k-- {
			var h [n]float64
			for i := range n {
				h[i] = t[i][k]
			}
			h[k+1] = diag[k]
			var ip float64
			for i := k + 1; i < n; i++ {
				ip += h[i] * v[i]
			}
			s := beta[k] * ip
			for i := k + 1; i < n; i++ {
				v[i] += -s * h[i]
			}
		}
		for r := range n {
			vecs[r][c] = v[r]
		}
	}
	var off [n - 1]float64
	for i := range n - 1 {
		vals[i], off[i] = t[i][i], t[i][i+1]
	}
	vals[n-1] = t[n-1][n-1]
	if err := tridiagonalQR(&vals, &off, &vecs); err != nil {
		return vals, vecs, err
	}
	return vals, vecs, nil
}

// tridiagonalQR diagonalises the symmetric tridiagonal matrix with
// diagonal a and off-diagonal b, leaving the eigenvalues in a and applying
// every rotation to the columns of q.
func tridiagonalQR(a *[3]float64, b *[2]float64, q *[3][3]float64) error {
	const (
		n        = 3
		maxSteps = 1000
	)
	eps := math.Nextafter(1, 2) - 1
	steps := 0
	for lo := 0; lo < n; {
		hi := n - 1
		for i := lo; i < n-1; i++ {
			if b[i] == 0 {
				hi = i
				break
			}
		}
		if hi <= lo {
			lo = hi + 1
			continue
		}
		for split := false; !split; {
			if steps++; steps > maxSteps {
				return errors.New("eigenvalues of the outline's axes did not converge")
			}
			// Wilkinson shift from the trailing 2×2 block.
			d := (a[hi-1] - a[hi]) / 2
			bsq := b[hi-1] * b[hi-1]
			sgn := 1.0
			if d < 0 {
				sgn = -1
			}
			mu := a[hi] - bsq/(d+sgn*math.Sqrt(d*d+bsq))
			c, s := givens(a[lo]-mu, b[lo])
			s = -s
			c2 := c * c
			s2 := 1 - c2
			cs := c * s
			ak1 := c2*a[lo] + s2*a[lo+1] - 2*cs*b[lo]
			bk1 := cs*(a[lo]-a[lo+1]) + (c2-s2)*b[lo]
			ak2 := s2*a[lo] + c2*a[lo+1] + 2*cs*b[lo]
			var bk2, z float64
			if lo < hi-1 {
				bk2, z = c*b[lo+1], -s*b[lo+1]
			}
			a[lo], a[lo+1], b[lo] = ak1, ak2, bk1
			if lo < hi-1 {
				b[lo+1] = bk2
			}
			rotateColumns(q, lo, c, s)
			// Chase the bulge z down the band.
			for i := lo + 1; i < hi; i++ {
				c, s := givens(b[i-1], z)
				s = -s
				c2 := c * c
				s2 := 1 - c2
				cs := c * s
				bk := c*b[i-1] - s*z
				ak1 := c2*a[i] + s2*a[i+1] - 2*cs*b[i]
				bk1 := cs*(a[i]-a[i+1]) + (c2-s2)*b[i]
				ak2 := s2*a[i] + c2*a[i+1] + 2*cs*b[i]
				var bk2 float64
				if i+1 < hi {
					bk2, z = c*b[i+1], -s*b[i+1]
				} else {
					z = 0
				}
				a[i], a[i+1], b[i] = ak1, ak2, bk1
				if i < hi-1 {
					b[i+1] = bk2
				}
				if i > lo {
					b[i-1] = bk
				}
				rotateColumns(q, i, c, s)
			}
			for i := lo; i < hi; i++ {
				if math.Abs(b[i]) < eps*(math.Abs(a[i])+math.Abs(a[i+1])) {
					b[i] = 0
					split = true
				}
			}
		}
	}
	return nil
}

// givens returns the cosine and sine of the rotation that zeroes y in
// (x, y).
func givens(x, y float64) (c, s float64) {
	norm := math.Sqrt(x*x + y*y)
	if norm == 0 {
		return 1, 0
	}
	return x / norm, y / norm
}

// rotateColumns rotates columns i and i+1 of q by (c, s).
func rotateColumns(q *[3][3]float64, i int, c, s float64) {
	for r := range q {
		u, v := q[r][i], q[r][i+1]
		q[r][i] = c*u - s*v
		q[r][i+1] = s*u + c*v
	}
}
