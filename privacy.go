package zhengxie

import "regexp"

// Patterns of personal data that must not appear in published texts.
var (
	reIDCard = regexp.MustCompile(`\b\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]\b`)
	reMobile = regexp.MustCompile(`(?:\+?\b86[- ]?|\b)1[3-9]\d[- ]?\d{4}[- ]?\d{4}\b`)
	reFixed  = regexp.MustCompile(`[(（]?\b0\d{2,3}[)）]?[-—－ ]?\d{7,8}\b`)
	reEmail  = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	reQQ     = regexp.MustCompile(`(?i)((?:QQ|微信|wechat)(?:号码?)?)[:：\s]*[A-Za-z0-9_\-]{5,20}`)
)

// Redact removes contact details and identity numbers from a text before it
// is published: ID-card numbers, mobile and fixed phone numbers, e-mail
// addresses, QQ / WeChat ids.
func Redact(s string) string {
	s = reIDCard.ReplaceAllString(s, "[身份证号已隐去]")
	s = reEmail.ReplaceAllString(s, "[邮箱已隐去]")
	s = reMobile.ReplaceAllString(s, "[电话已隐去]")
	s = reFixed.ReplaceAllString(s, "[电话已隐去]")
	s = reQQ.ReplaceAllString(s, "$1[已隐去]")
	return s
}

// MaskPhone shows only the first three and last four digits of a phone number.
func MaskPhone(p string) string {
	r := []rune(p)
	if len(r) < 8 {
		return "****"
	}
	return string(r[:3]) + "****" + string(r[len(r)-4:])
}
