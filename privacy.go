package zhengxie

import "regexp"

// Patterns of personal data that must not appear in published texts.
var (
	reIDCard = regexp.MustCompile(`\b\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]\b`)
	reMobile = regexp.MustCompile(`(?:\+?\b86[- ]?|\b)1[3-9]\d[- ]?\d{4}[- ]?\d{4}\b`)
	reFixed  = regexp.MustCompile(`[(（]?\b0\d{2,3}[)）]?[-—－ ]?\d{7,8}\b`)
	reEmail  = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	reQQ     = regexp.MustCompile(`(?i)((?:QQ|微信|wechat)(?:号码?)?)[:：\s]*[A-Za-z0-9_\-]{5,20}`)
	// Street addresses: 解放路12号, 人民街3-5号, 中山大道西88号之一 …, and
	// homes in an estate: 幸福小区3栋2单元501室, 锦绣花园12幢1102.
	reStreet = regexp.MustCompile(`\p{Han}{1,6}(?:路|街|大道|大街|巷|弄|里)[东南西北中]?(?:段)?\d+(?:[-－]\d+)?号(?:之[\p{Han}\d]{1,2})?(?:\d+(?:栋|幢|座|号楼|单元|楼|室|房))*`)
	reEstate = regexp.MustCompile(`[\p{Han}A-Za-z0-9]{1,8}(?:小区|花园|家园|苑|公寓|新村|大厦|村)\d+(?:栋|幢|座|号楼)(?:\d+单元)?(?:\d+(?:室|房|号)?)?`)
)

// Redact removes contact details and identity numbers from a text before it
// is published: ID-card numbers, mobile and fixed phone numbers, e-mail
// addresses, QQ / WeChat ids, street addresses and homes (house numbers,
// building and room numbers).
func Redact(s string) string {
	s = reIDCard.ReplaceAllString(s, "[身份证号已隐去]")
	s = reEmail.ReplaceAllString(s, "[邮箱已隐去]")
	s = reMobile.ReplaceAllString(s, "[电话已隐去]")
	s = reFixed.ReplaceAllString(s, "[电话已隐去]")
	s = reQQ.ReplaceAllString(s, "$1[已隐去]")
	s = reEstate.ReplaceAllString(s, "[地址已隐去]")
	s = reStreet.ReplaceAllString(s, "[地址已隐去]")
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
