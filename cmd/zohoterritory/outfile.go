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
// org's ids and people's addresses), through a temporary file beside it,
// so that a failed write leaves nothing half written. Unless clobber, an
// existing file is refused, and never replaced: the temporary file is
// linked to path, which fails when path exists. flag names the flag that
// gave path.
func writeFile(flag, path string, clobber bool, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	fail := func(err error) error { return cmdutil.Usagef("%s: %s", flag, cmdutil.Message(err)) }
	tmp, err := os.CreateTemp(filepath.Dir(path), ".zohoterritory-*")
	if err != nil {
		return fail(err)
	}
	defer os.Remove(tmp.Name()) // after the rename or the link, a no-op or the spare name
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		_ = tmp.Close()
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fail(err)
	}
	if clobber {
		if err := os.Rename(tmp.Name(), path); err != nil {
			return fail(err)
		}
		return nil
	}
	switch err := os.Link(tmp.Name(), path); {
	case errors.Is(err, fs.ErrExist):
		return cmdutil.Usagef("%s %s: the file exists; give --clobber to replace it, or another name", flag, path)
	case err != nil:
		return fail(err)
	}
	return nil
}
