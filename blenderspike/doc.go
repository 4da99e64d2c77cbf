// Package blenderspike reads the voltage recordings that BlenderSpike's
// CellRecorder.save_pickle writes: a pickled Python list with one dict per
// NEURON section holding its 3-D points (X, Y, Z, DIAM) and its voltages
// per frame (Voltage: {frame: values}), as numpy arrays or plain lists.
//
// The reader decodes the pickle itself rather than through a general
// unpickler such as github.com/nlpodyssey/gopickle: a recording needs
// about forty opcodes and seven numpy reconstructors, and owning them
// lets every length be checked against the file before anything is
// allocated, lets numpy's raw bytes be decoded in place without copying,
// and keeps no object the file does not read back. Decoding runs in two
// passes over the file, held whole in memory, both driven by one table
// of the opcodes (ops.go: each one's argument and effect on the stack):
//
//   - prescan walks every opcode and builds nothing. It checks each
//     length against the bytes left, the stack discipline, and each
//     global a GLOBAL or STACK_GLOBAL names against a fixed allow-list
//     (numpy's _reconstruct, ndarray, dtype, _frombuffer and scalar in
//     their numpy 1 and 2 homes, and _codecs.encode), so a pickle naming
//     os.system or anything else is refused before any value exists. It
//     records which memo slots are read back, and refuses a memo that
//     stores a value twice or one the previous opcode did not make.
//   - decodePickle then builds the values; numpy arrays point into the
//     file's bytes, text that stands for bytes is converted once however
//     often the memo hands it out, and only memo slots that are read back
//     are kept.
//
// convert finally checks the structure and decodes the numbers into a
// morph.Cell and a voltage.Recording. Before allocating them it bounds
// the number of values the recording claims (frames × nseg per section
// plus four per 3-D point) by the file's size, since every value takes
// at least one byte of a legitimate file; shared references to one list
// or array can therefore never multiply the work or the memory.
//
// Every allocation, from the file's own buffer to the decoded recording,
// is charged to a budget before it is made (budget.go): at most 16 times
// the file's size plus 1 MiB, and never more than MaxMemory. A file that
// would cost more is refused, so that no input of any size or shape can
// take more memory than that. A file is read a piece at a time and the
// pre-scan run over what has arrived, so that a stream that is not a
// recording is refused after its first bytes. Nothing in the reader
// recurses over the decoded values, so deep nesting cannot exhaust the
// goroutine stack.
package blenderspike
