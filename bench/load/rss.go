package load

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
)

// PeakRSS returns the peak resident memory (VmHWM) of process pid, or of
// this process if pid ≤ 0, read from /proc, in bytes. The kernel keeps the
// peak, so one reading after a run is enough to know the most it ever used.
func PeakRSS(pid int) (int64, error) { return procStatus(pid, "VmHWM:") }

// CurrentRSS returns the resident memory (VmRSS) of process pid, or of this
// process if pid ≤ 0, in bytes.
func CurrentRSS(pid int) (int64, error) { return procStatus(pid, "VmRSS:") }

func procStatus(pid int, field string) (int64, error) {
	path := "/proc/self/status"
	if pid > 0 {
		path = "/proc/" + strconv.Itoa(pid) + "/status"
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("reading memory of process %d: %w", pid, err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Bytes()
		if !bytes.HasPrefix(line, []byte(field)) {
			continue
		}
		// "VmHWM:	   12345 kB"
		f := bytes.Fields(line[len(field):])
		if len(f) != 2 || string(f[1]) != "kB" {
			return 0, fmt.Errorf("%s: unexpected line %q", path, line)
		}
		kb, err := strconv.ParseInt(string(f[0]), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s: %q: %w", path, line, err)
		}
		return kb * 1024, nil
	}
	return 0, fmt.Errorf("%s has no %s line (a kernel thread, or not Linux?)", path, field)
}
