#!/bin/bash
# Nightly: retrain the churn model and promote it if it beats the live one.
set -e
cd $WORK_DIR
rm -rf ./*
train-model --out . 2>&1 | tee train.log
new=$(evaluate-model model.bin)
old=$(evaluate-model $LIVE_DIR/model.bin)
if [ $new > $old ]; then
  cp model.bin $LIVE_DIR/model.bin
fi
