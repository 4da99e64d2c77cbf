package blenderspike

import "fmt"

// MaxMemory is the most memory the reader spends on one recording: the
// file's bytes plus everything decoded from them, counted as it goes.
// A file of n bytes may cost at most budgetPerByte·n + budgetBase of it;
// a legitimate recording costs about three times its size.
const MaxMemory = 448 << 20

// MaxFileSize is the largest recording the reader accepts, in bytes.
const MaxFileSize = 4 << 30

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

// newBudget returns the budget for a file of size bytes.
func newBudget(size int64) *budget {
	b := &budget{limit: MaxMemory}
	b.setSize(size)
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

func (b *budget) exceeded() error {
	if b.limit >= MaxMemory {
		return fmt.Errorf("decoding needs more than the reader's %d MiB of memory", MaxMemory>>20)
	}
	return fmt.Errorf("decoding needs more than %d bytes of memory, more than a %d-byte recording can (%d times its size plus %d MiB)",
		b.limit, b.size, budgetPerByte, budgetBase>>20)
}

// Costs of what the decoder allocates. A Go allocation is rounded up to
// a size class (at most an eighth more above 16 bytes) and some values
// are boxed in an interface; allocCost covers both.
const (
	costSlot = 16 // one interface value in a list, dict, tuple or stack
)

// allocCost is what one allocation of n bytes is charged.
func allocCost(n int64) int64 { return n + n/8 + 16 }
