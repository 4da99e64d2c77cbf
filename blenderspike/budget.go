package blenderspike

import "fmt"

// MaxMemory is the most memory the reader spends on one recording: the
// file's bytes plus everything decoded from them, counted as it goes.
// A file of n bytes may cost at most budgetPerByte·n + budgetBase of it;
// a recording as BlenderSpike writes it costs two to four times its size.
const MaxMemory = 448 << 20

// MaxFileSize is the largest recording the reader accepts, in bytes.
const MaxFileSize = 128 << 20

const (
	budgetPerByte = 16
	budgetBase    = 1 << 20
)

// budget counts the bytes one read allocates, from the file's own buffer
// to the decoded recording, and refuses an allocation that would take the
// total past its limit. Everything the decoder builds is charged before
// it is built, at least at its real size, so that the total bounds the
// memory a read can take whatever the file holds.
type budget struct {
	used, limit int64
	size        int64 // the file's size once known, for messages
}

// newBudget returns the budget for a file of size bytes, or of a size not
// yet known if size is negative.
func newBudget(size int64) *budget {
	b := &budget{limit: MaxMemory, size: -1}
	if size >= 0 {
		b.setSize(size)
	}
	return b
}

// setSize sets the limit for a file of size bytes.
func (b *budget) setSize(size int64) {
	b.size = size
	if size < (MaxMemory-budgetBase)/budgetPerByte {
		b.limit = budgetPerByte*size + budgetBase
	} else {
		b.limit = MaxMemory
	}
}

// spend charges n bytes, or refuses them if the total would pass the limit.
func (b *budget) spend(n int64) error {
	if n < 0 || n > b.limit-b.used {
		return b.exceeded()
	}
	b.used += n
	return nil
}

// spendTable charges for an array of rows × cols values of size bytes,
// refusing it before the product can overflow.
func (b *budget) spendTable(rows, cols, size int64) error {
	if rows < 0 || cols < 0 || (rows > 0 && cols > (b.limit-b.used)/(rows*size)) {
		return b.exceeded()
	}
	return b.spend(allocCost(rows * cols * size))
}

func (b *budget) exceeded() error {
	if b.size < 0 || b.limit >= MaxMemory {
		return fmt.Errorf("decoding needs more than the reader's %d MiB of memory", MaxMemory>>20)
	}
	return fmt.Errorf("decoding needs more than %d bytes of memory, more than a %d-byte recording can (%d times its size plus %d MiB)",
		b.limit, b.size, budgetPerByte, budgetBase>>20)
}

// Costs of what the decoder allocates.
const (
	costSlot = 16 // one interface value in a list, dict, tuple or stack
	costBox  = 8  // a number boxed in an interface value
)

// allocCost is what one allocation of n bytes is charged: at least what
// Go allocates for it. Go rounds a small allocation up to a size class,
// a multiple of 16 bytes up to 256 and at most a sixth more above, and a
// large one (over 32 KiB) up to whole 8 KiB pages.
func allocCost(n int64) int64 {
	switch {
	case n <= 256:
		return max(16, (n+15)&^15)
	case n <= 32<<10:
		return n + n/4
	}
	return (n + 8<<10 - 1) &^ (8<<10 - 1)
}
