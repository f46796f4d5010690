#!/usr/bin/env bash
# Trains the bundled models from the splits prepare.sh lays out (run that first, from the repository
# root). One model per call, so each can run on its own core and resume after a kill:
#
#   docs/tools/quality/train_models.sh em|denoise|fluo-base|fluo [--resume]
#
# Bundles go to out/quality/models/NAME (EM: NAME=other-name for a variant beside it); `--threads 1` keeps each run on one core (two runs side by
# side use a 2-core machine fully). Single-thread CPU time on the CI machine kind is in docs/quality.md.
set -euo pipefail
Q=out/quality; M=$Q/models; mkdir -p $M
here="$(dirname "${BASH_SOURCE[0]}")"
dec=${DEC:-bin/decrappify}
what=$1; shift
common=(--threads "${THREADS:-1}" --batch 8 --ssim-weight 0.1 --learning-rate 1e-3 --norm-percentiles 0.5,99.5 --aug-gain 0.7,1.3)
case $what in
  em)  # EM x4: Gerhard 2013 stacks (CC-BY-NC-SA-3.0); selects on stack 2 sections 18-19
    "$dec" train "${common[@]}" --hr $Q/em/train --val-hr $Q/em/val -o $M/${NAME:-em-x4-unet-s} --scale 4 --modality em \
      --preset $here/presets/em_wide.yaml --patch 32 --steps ${STEPS:-8000} --warmup 1600 --aug-offset 0.1 \
      --validate-every 2000 --checkpoint-every 1000 --license CC-BY-NC-SA-3.0 \
      --data-note "Gerhard et al. 2013 ssTEM of a third-instar Drosophila larva VNC (stack 1, stack 2 sections 00-17), CC-BY-NC-SA-3.0" "$@" ;;
  denoise)  # x1 on the real FMD pairs (MIT): fields 11-17 train, field 18 selects
    "$dec" train "${common[@]}" --hr $Q/fmd/train_hr --lr $Q/fmd/train_lr --val-hr $Q/fmd/val_hr --val-lr $Q/fmd/val_lr \
      -o $M/fluo-denoise-unet-s --scale 1 --modality fluo --patch 64 --steps ${STEPS:-2000} --warmup 200 --aug-offset 0.05 \
      --validate-every 500 --checkpoint-every 500 --license MIT \
      --data-note "FMD confocal BPAE (Zhang et al. 2019), fields 11-17: 350 real raw/50-frame-mean pairs, MIT" "$@" ;;
  fluo-base)  # x4 base on clean confocal (FMD 50-frame means, MIT) with a blur + noise crappifier
    "$dec" train "${common[@]}" --hr $Q/fluo/hr --val-hr $Q/caco/train_hr -o $M/fluo-x4-base --scale 4 --modality fluo \
      --preset $here/presets/fluo_wide.yaml --patch 32 --steps ${STEPS:-6000} --warmup 600 --aug-offset 0.1 \
      --validate-every 1000 --checkpoint-every 500 --license MIT \
      --data-note "FMD confocal BPAE 50-frame means, fields 11-20, MIT" "$@" ;;
  fluo)  # x4 confocal: fluo-x4-unet-s (CC0 data) fine-tuned on the real SR-CACO-2 pair's training part (CC-BY-NC-SA-4.0),
         # pixel losses only (--alpha 1 exports the pre-GAN generator: fidelity is what is scored); drift measured by the
         # forward-model fit and cropped away; --residual-highpass 4 keeps the input's coarse intensities (no glow)
    "$dec" finetune -m ${BASE:-fluo-x4-unet-s} --hr $Q/caco/train_hr --lr $Q/caco/train_lr -o $M/fluo-x4-confocal-unet-s \
      --residual-highpass 4 --threads "${THREADS:-1}" --patch 32 --batch 8 --feature-net none --cycles 1 --critic-steps 20 \
      --gan-steps 24 --alpha 1 --pretrain-steps ${STEPS:-600} --pretrain-lr 1e-4 --validate-every 100 --license CC-BY-NC-SA-4.0 \
      --description "x4 super-resolution and denoising of confocal fluorescence (nuclei): fluo-x4-unet-s fine-tuned on a real confocal LR/HR pair (SR-CACO-2), with the residual high-pass that keeps the background as dark as the input's (no glow), unet-s generator." \
      --data-note "Base fluo-x4-unet-s: CellProfiler ExampleHuman, BBBC022 U2OS, DSB2018 nuclei via StarDist (all CC0). Fine-tuned on SR-CACO-2 (Belharbi et al. 2024, CC BY-NC-SA 4.0): the real div4/div1 confocal pair (top half), LR columns 34-127 / HR 136-511; LR columns 0-31 are held out for testing." "$@" ;;
  *) echo "usage: $0 em|denoise|fluo-base|fluo [--resume]" >&2; exit 2 ;;
esac
