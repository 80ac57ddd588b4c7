#!/bin/sh
# The workspace status command of tests/cli TestStamp: one stable key, with the value the test
# expects in the stamped plugin (committed, so that the test writes nothing into the tree).
echo STABLE_RULES_GO_PLUGIN_E2E cli-stamp-7f3a
