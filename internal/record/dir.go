package record

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Dir is a directory of recorded case files. Its files hold an org's data
// (even pseudonymized, its shape), so the directory is made 0700 and each
// file 0600.
type Dir struct {
	path string
}

// CreateDir makes path (and its parents) for a new recording. It refuses a
// directory that already holds anything, so that two runs never mix and no
// file is overwritten.
func CreateDir(path string) (*Dir, error) {
	if err := os.MkdirAll(path, 0o700); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, err
	}
	if len(entries) > 0 {
		return nil, fmt.Errorf("%s is not empty (it holds %s); record into a new or empty directory", path, entries[0].Name())
	}
	return &Dir{path: path}, nil
}

// Path returns the directory's path.
func (d *Dir) Path() string { return d.path }

// Write writes data as name in the directory, or in its subdirectory sub
// when sub is not "", atomically: a reader sees the whole file or none.
// It returns the file's path.
func (d *Dir) Write(sub, name string, data []byte) (string, error) {
	if name == "" || filepath.Base(name) != name {
		return "", fmt.Errorf("record: bad file name %q", name)
	}
	dir := d.path
	if sub != "" {
		dir = filepath.Join(d.path, sub)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return "", err
		}
	}
	f, err := os.CreateTemp(dir, ".recording-*") // mode 0600
	if err != nil {
		return "", err
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		_ = os.Remove(tmp)
		return "", err
	}
	final := filepath.Join(dir, name)
	if err := os.Rename(tmp, final); err != nil {
		_ = os.Remove(tmp)
		return "", err
	}
	return final, nil
}
