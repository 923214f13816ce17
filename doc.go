// Package zhengxie is the domain of Zhengxie (数字政协): the types of a CPPCC
// committee's proposal work and the rules of the proposal lifecycle.
//
// Everything here is plain Go with no I/O: states, the transition table that
// says which role may do what in which state, guards, deadlines, numbering
// and the hash chain of the event log. Storage, search, jobs and the web are
// packages around it; cmd/zhengxie wires them together.
package zhengxie
