package main

// The paragraphs of --help that several commands share.

// refsHelp says how users and territories are given, for every command
// that takes them.
const refsHelp = `Users are given by id or e-mail address; territories by id, name, or path
of names from the top ("North America/West Coast") when a name repeats.
E-mail addresses and names are matched exactly, ignoring case and
surrounding spaces, over every user (deactivated ones included) and every
territory of the org, read once however many are given; every unknown or
ambiguous one is named (ambiguous ones with their candidates), and the run
stops before anything is sent. They come as arguments, or on standard
input when there are none (or the only one is "-") and standard input is
not a terminal: one per line, comma- or space-separated, or a CSV file's
single column, quoted or not, with or without a header (id, email,
name...). Lines may be of any length. A bad one is named by its argument
number or line, and nothing is sent.`

// journalHelp says what every change command records.
const journalHelp = `Every run is journaled: before each call is sent and after each answer is
read, a line goes into a file under $XDG_STATE_HOME/zohoterritory/ (or
~/.local/state/zohoterritory/), whose path is printed on stderr. If the run
is killed or interrupted, "zohoterritory resume FILE" finishes it; a run
is undone with "zohoterritory restore FILE"; "zohoterritory runs" lists
the journals. One process at a time runs a journal: another resume or
restore of it exits 1 at once. --journal FILE writes it elsewhere,
--no-journal not at all. A journal holds ids, never a token.`

// interruptHelp says what Ctrl-C does to a change.
const interruptHelp = `Ctrl-C stops sending new calls and waits for those in flight, then prints
the result as usual, with one line on stderr saying what is left and the
resume command that finishes the run; a second Ctrl-C stops at once.
Running the same command again is safe too: a membership removed already
comes back "not_member", one added already "already_present" (done with
--ignore-absent and --ignore-present, where the command has them; an apply
counts both as done).`

// treeFileHelp says what a tree file holds, for plan and apply.
const treeFileHelp = `The tree file is YAML: format: zohoterritory-tree, version: 1, and
territories: a list of one, the organization's territory, each territory a
mapping of name, id (written by export: it follows a territory through a
rename or a move), manager (an e-mail address or id), permission (read_only
or read_write_delete; a new territory needs one), description, rules
(accounts, leads, deals: Zoho's criteria, compared as whole values), users
(its members, exactly; the manager is one whether listed or not) and
children. A territory without an id is its parent's child of that name, or
new. A key left out means none (an absent permission: unchanged).`

// membershipFileHelp says what plan and apply read.
const membershipFileHelp = `The membership file is CSV with a header naming a "territory" and a "user"
column (other columns are ignored), one membership a row: territories by
id, name or path ("North America/West Coast"), users by id or e-mail
address. A UTF-8 byte order mark and blank lines are fine; a malformed row
is named by its line, and so is every name or address the org does not
hold (or holds twice), all of them at once; nothing is read of the
memberships or sent.

  territory,user
  West Coast,chloe@acme.com
  North America/Key Accounts,ben@acme.com

--by territory (the default): each territory of the file ends with exactly
the users listed for it, and its manager; territories not in the file are
not touched. --by user: each user of the file ends with exactly the
territories listed for them, the default territory and those they manage
aside. --add-only and --remove-only keep one direction. What Zoho's rules
forbid is skipped with its reason, never sent: removing a manager, or from
the default territory; adding a user who is not active (deactivated or
deleted); adding past a territory's limit of 100 users while the adds go
first. A user whose add is skipped keeps the memberships the file would
take from them ("kept").`
