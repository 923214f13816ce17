package zhengxie

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Error codes are stable machine-readable strings; the HTTP layer maps each
// to a status in one table.
const (
	EInvalid      = "invalid"       // bad input; Field names the form field
	ENotFound     = "not_found"     // the object does not exist or is not visible to the actor
	EForbidden    = "forbidden"     // the actor may see the object but not do this
	EUnauthorized = "unauthorized"  // not logged in
	EConflict     = "conflict"      // uniqueness or concurrent change
	EIllegal      = "illegal_state" // the action is not allowed in the object's current state
	ETooMany      = "too_many_requests"
	EInternal     = "internal"
)

// Error is the one error type of the domain. Message is safe to show to the
// user (in Chinese); anything else stays in logs.
type Error struct {
	Code    string
	Message string
	Field   string // form field the message belongs next to, if any
	// Fields holds every field error of the same input when there are
	// several, this one first, so that a form shows them all at once
	// instead of one per attempt.
	Fields []*Error
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, e.Field)
	}
	return e.Code + ": " + e.Message
}

// Errorf returns an *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EInvalid error attached to a form field.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: EInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, EInternal for errors that are not ours.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EInternal
}

// ErrorMessage returns the user-safe message of err.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "系统内部错误，请稍后再试；如果问题持续，请联系系统管理员。"
}

// FieldErrors returns every field error err carries: its Fields, or err
// itself when it names a field; nil for other errors.
func FieldErrors(err error) []*Error {
	var e *Error
	if !errors.As(err, &e) {
		return nil
	}
	if len(e.Fields) > 0 {
		return e.Fields
	}
	if e.Field != "" {
		return []*Error{e}
	}
	return nil
}

// ErrorField returns the form field of err, if any.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// ValidText reports whether s is text we store: valid UTF-8 without NUL
// characters (which PostgreSQL refuses and SQLite would keep).
func ValidText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// CheckText is the guard of every free text a user writes: valid text of at
// most max characters (0 for no limit).
func CheckText(field, label, s string, max int) error {
	if !ValidText(s) {
		return FieldError(field, "%s包含无效字符（编码错误或空字符），请重新输入", label)
	}
	if max > 0 && utf8.RuneCountInString(s) > max {
		return FieldError(field, "%s不能超过%d个字", label, max)
	}
	return nil
}

// NotFound is the error for a missing or invisible object. It never says
// which: guessing an id must not reveal that the object exists.
func NotFound(what string) *Error {
	return Errorf(ENotFound, "%s不存在或无权查看", what)
}
