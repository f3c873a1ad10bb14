#!/bin/bash
# The read's script with every planted bug fixed (the answer key says why each line changed).
set -euo pipefail
cd -- "${WORK_DIR:?WORK_DIR is not set}"
rm -rf ./*
train-model --out . 2>&1 | tee train.log
new=$(evaluate-model model.bin)
old=$(evaluate-model "$LIVE_DIR/model.bin")
if awk -v n="$new" -v o="$old" 'BEGIN { r = "^[0-9]*[.]?[0-9]+$"; exit !(n ~ r && o ~ r && n + 0 > o + 0) }'; then
  cp model.bin "$LIVE_DIR/.model.bin.new"
  ln -f "$LIVE_DIR/model.bin" "$LIVE_DIR/model.bin.previous"
  mv -f "$LIVE_DIR/.model.bin.new" "$LIVE_DIR/model.bin"
fi
