#!/usr/bin/env bash
# Generates the Mandarin prompts in sounds/zh/ from sounds/manifest.tsv, and the hold
# music in sounds/moh/. Needs espeak-ng and sox (Debian packages espeak-ng, sox).
# A prompt listed in sounds/recorded.txt is a real recording and is never overwritten.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in espeak-ng sox; do
  command -v "$tool" >/dev/null || { echo "make-sounds: $tool is missing (apt-get install espeak-ng sox)" >&2; exit 1; }
done
recorded=$(grep -v '^#' sounds/recorded.txt 2>/dev/null || true)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
count=0
while IFS=$'\t' read -r id text; do
  [[ -z "$id" || "$id" == \#* ]] && continue
  if grep -qxF "$id" <<<"$recorded"; then echo "  keep  $id (recorded)"; continue; fi
  out="sounds/zh/$id.wav"
  mkdir -p "$(dirname "$out")"
  espeak-ng -v cmn -s 165 -w "$tmp/raw.wav" "$text"
  # 8 kHz mono 16-bit: what Asterisk plays without transcoding for ulaw/alaw callers
  sox "$tmp/raw.wav" -r 8000 -c 1 -b 16 "$out" norm -3
  count=$((count + 1))
done < sounds/manifest.tsv
echo "make-sounds: $count prompts in sounds/zh/"

# The beep before a voice message (Asterisk looks up sounds/zh/beep first)
sox -n -r 8000 -c 1 -b 16 sounds/zh/beep.wav synth 0.3 sine 1000 fade q 0.01 0.3 0.05 vol 0.5
echo "make-sounds: beep in sounds/zh/beep.wav"

# Hold music: a soft repeating arpeggio, made here so no licensed file is needed.
mkdir -p sounds/moh
notes=(261.63 329.63 392.00 523.25 392.00 329.63 293.66 349.23 440.00 587.33 440.00 349.23)
parts=()
i=0
for f in "${notes[@]}"; do
  sox -n -r 8000 -c 1 -b 16 "$tmp/n$i.wav" synth 0.45 sine "$f" fade q 0.02 0.45 0.2 vol 0.35
  parts+=("$tmp/n$i.wav"); i=$((i + 1))
done
sox "${parts[@]}" "$tmp/phrase.wav"
sox "$tmp/phrase.wav" "$tmp/phrase.wav" "$tmp/phrase.wav" "$tmp/phrase.wav" sounds/moh/hold.wav
echo "make-sounds: hold music in sounds/moh/hold.wav"
