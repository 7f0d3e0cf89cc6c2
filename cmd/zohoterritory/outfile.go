package main

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
)

// Files a command writes: a saved plan, an export.

// writeFile writes what write makes to path, mode 0600 (it holds the
// org's ids and people's addresses), through a temporary file beside it
// renamed over path, so that a failed write leaves nothing half written.
// Unless clobber, an existing file is refused and left as it is: path is
// first created, exclusively, to hold the name. flag names the flag that
// gave path.
func writeFile(flag, path string, clobber bool, write func(io.Writer) error) (err error) {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	fail := func(err error) error { return cmdutil.Usagef("%s: %s", flag, cmdutil.Message(err)) }
	if !clobber {
		held, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		switch {
		case errors.Is(err, fs.ErrExist):
			return fileExists(flag, path)
		case err != nil:
			return fail(err)
		}
		_ = held.Close()
		defer func() {
			if err != nil {
				_ = os.Remove(path) // the name held, empty
			}
		}()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".zohoterritory-*")
	if err != nil {
		return fail(err)
	}
	defer os.Remove(tmp.Name()) // after the rename, a no-op
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		_ = tmp.Close()
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fail(err)
	}
	return nil
}

// checkOutFile refuses, before anything is read from the org, a path that
// writeFile would refuse once it had been: one that exists (unless
// clobber), or in a directory where no file can be made.
func checkOutFile(flag, path string, clobber bool) error {
	if !clobber {
		if _, err := os.Lstat(path); err == nil {
			return fileExists(flag, path)
		}
	}
	probe, err := os.CreateTemp(filepath.Dir(path), ".zohoterritory-*")
	if err != nil {
		return cmdutil.Usagef("%s: %s", flag, cmdutil.Message(err))
	}
	_ = probe.Close()
	return os.Remove(probe.Name())
}

func fileExists(flag, path string) error {
	return cmdutil.Usagef("%s %s: the file exists; give --clobber to replace it, or another name", flag, path)
}
