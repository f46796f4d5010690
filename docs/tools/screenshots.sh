#!/usr/bin/env bash
# Regenerates the screenshots of the user guide (docs/images/fiji-*.png) from a real ImageJ window:
# ImageJ 1 with the Fiji layout `mvn package` writes (target/fiji/), on a virtual X display, driven
# through its menus and the Decrappify Restore and Train dialogs with the mouse and keyboard (xdotool),
# the windows captured with ImageMagick's `import`. Re-run it whenever a menu entry or one of those
# dialogs changes, then look at every picture before committing (the clicks go to fixed offsets inside
# the ImageJ window and the dialogs: a changed dialog can make them miss, and the pictures then show it).
#
#   mvn -B -DskipTests package            # writes target/fiji/ (needs the network once: every platform's natives)
#   docs/tools/screenshots.sh             # about two minutes on 2 cores (one of them the 60-step training)
#   docs/tools/screenshots.sh --from-classes
#       # offline machines where `mvn package` cannot fetch the other platforms' natives: builds the same
#       # layout for Linux x86-64 only into out/screenshots/fiji/ from target/classes (run bin/decrappify
#       # once first) and the Maven cache, as the pom's fiji-* executions do
#
# Needs (Debian): apt-get install -y xvfb xdotool imagemagick x11-utils; openbox (optional: title bars on
# the windows). ImageJ 1 is the project's own ij dependency with the SciJava jars in jars/, as the
# plain-ImageJ install of docs/restore-in-fiji.md; the menus, the dialog and the result windows are the
# ones Fiji shows (Fiji adds its own menus around them). It runs with its own user home
# (out/screenshots/home: fresh ImageJ preferences, no user models), so every run starts alike.
#
# Data: test-data/em_lr_stack2_s00.tif (Gerhard et al. 2013, CC BY-NC-SA 3.0; see test-data/README.md),
# restored with the bundled em-x4-unet-s; and for the Train dialog and its loss plot a 60-step
# self-supervised run on two real noisy confocal frames, FMD BPAE fields 11 and 12, raw frame 0
# (Zhang et al. 2019, MIT licence; ../shared/data/real_noise_fmd_confocal_bpae, see its SOURCE.md).
# docs/images/screenshots.txt records the model, the frames and ImageJ.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

input=test-data/em_lr_stack2_s00.tif
model=em-x4-unet-s
view=128,128,100         # the region shown in the result windows: LR centre x, y and width, in LR pixels
scale=4
fmd=../shared/data/real_noise_fmd_confocal_bpae   # Zhang et al. 2019, FMD, MIT licence (see its SOURCE.md)
train_frames="fov11_raw0.png fov12_raw0.png"
train_steps=60
display="${SCREENSHOT_DISPLAY:-:77}"
out=docs/images
base=out/screenshots
app="$base/app" home="$base/home" work="$root/$base/work/"

for tool in Xvfb xdotool import convert xwininfo java mvn; do
  command -v "$tool" >/dev/null || { echo "screenshots: $tool is missing (apt-get install -y xvfb xdotool imagemagick x11-utils)" >&2; exit 2; }
done

# --- 1. The Fiji layout ---------------------------------------------------------------------------------
version=$(awk '/<\/parent>/ {p = 1} p && /<version>/ {gsub(/.*<version>|<\/version>.*/, ""); print; exit}' pom.xml)
layout=target/fiji
if [ "${1:-}" = --from-classes ]; then
  [ -d target/classes/io ] || { echo "screenshots: target/classes is empty; run bin/decrappify --version once" >&2; exit 2; }
  layout="$base/fiji"
  rm -rf "$layout"
  mkdir -p "$layout"/{plugins,lib/decrappify,lib/linux64/decrappify,macros,models/decrappify}
  mvn -o -q dependency:copy-dependencies -DincludeScope=runtime -DexcludeGroupIds=net.imagej,org.scijava,net.imglib2 \
      -DexcludeArtifactIds=tensorflow-core-native -DoutputDirectory="$layout/lib/decrappify"
  mvn -o -q dependency:copy-dependencies -DincludeScope=runtime -DincludeArtifactIds=tensorflow-core-native \
      -DoutputDirectory="$layout/lib/linux64/decrappify"
  jar cf "$layout/lib/decrappify/decrappify-$version.jar" -C target/classes .
  plugin=$(mktemp -d)
  mkdir -p "$plugin/io/github/decrappify/fiji"
  cp -r target/classes/io/github/decrappify/fiji/ij1 "$plugin/io/github/decrappify/fiji/"
  cp target/classes/plugins.config "$plugin/"
  cp -r src/main/fiji-plugin/. "$plugin/"
  jar cf "$layout/plugins/Decrappify_-$version.jar" -C "$plugin" .
  rm -rf "$plugin"
  cp macros/*.ijm "$layout/macros/"
  cp -r models/. "$layout/models/decrappify/"
elif [ ! -f "$layout/plugins/Decrappify_-$version.jar" ]; then
  echo "screenshots: no $layout/plugins/Decrappify_-$version.jar; run mvn -B -DskipTests package (or pass --from-classes)" >&2
  exit 2
fi

# ImageJ.app: ImageJ 1 (ij.jar) and the SciJava jars the commands need, in the project's versions, plus the layout.
rm -rf "$app" "$home" "$work"
mkdir -p "$app/jars" "$home/.imagej" "$work"
mvn -o -q dependency:copy-dependencies -DincludeScope=runtime -DincludeGroupIds=net.imagej,org.scijava,net.imglib2 \
    -DoutputDirectory="$app/jars"
mv "$app"/jars/ij-*.jar "$app/ij.jar"
cp -rl "$layout"/. "$app/" 2>/dev/null || cp -r "$layout"/. "$app/"   # hard links where possible (the natives are 149 MB)
printf 'ij.x=0\nij.y=0\n' > "$home/.imagej/IJ_Prefs.txt"   # the ImageJ window at the top left corner

# --- 2. A virtual display, ImageJ on it ----------------------------------------------------------------
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
Xvfb "$display" -screen 0 1800x1000x24 -nolisten tcp > "$base/xvfb.log" 2>&1 &
pids+=($!)
export DISPLAY="$display"
for _ in $(seq 50); do xwininfo -root >/dev/null 2>&1 && break; sleep 0.1; done
convert -size 1800x1000 xc:'#6b7b8c' "$base/desktop.png" && { display -window root "$base/desktop.png" || true; }   # a plain desktop (display exits 1 after setting it)
if command -v openbox >/dev/null; then openbox > "$base/openbox.log" 2>&1 & pids+=($!); sleep 1; fi

title=$(basename "$input")
(cd "$app" && TF_CPP_MIN_LOG_LEVEL=2 exec java -Duser.home="$root/$home" -Dij.dir="$root/$app" -jar ij.jar \
    -ijpath "$root/$app" "$root/$input" -macro "$root/docs/tools/screenshots.ijm" "$work|$title|$model|$view|$scale") \
    > "$base/imagej.log" 2>&1 &
pids+=($!)

window() { # TITLE_REGEX [SECONDS]: the id of the first window whose name matches, waiting for it
  for _ in $(seq $(( ${2:-30} * 5 ))); do
    id=$(xdotool search --name "$1" 2>/dev/null | head -1 || true)
    [ -n "$id" ] && { echo "$id"; return; }
    sleep 0.2
  done
  echo "screenshots: no window '$1' appeared (see $base/imagej.log)" >&2; exit 1
}
origin() { # WINDOW: "X Y", the absolute top left corner of its content (inside the title bar)
  xwininfo -id "$1" | awk '/Absolute upper-left X/{x=$4} /Absolute upper-left Y/{y=$4} END{print x, y}'
}
click() { # X Y
  xdotool mousemove "$1" "$2"; sleep 0.5; xdotool click 1; sleep 0.8
}
ask() { # STEP: let the macro arrange the windows, wait for its answer
  : > "$work$1"
  for _ in $(seq 100); do [ -f "${work}done-$1" ] && return; sleep 0.2; done
  echo "screenshots: the macro did not answer '$1' (see $base/imagej.log)" >&2; exit 1
}
png() { # IN OUT: a small PNG (palette, no metadata that changes on every run)
  convert "$1" -strip -colors 256 "PNG8:$2"
}

ij=$(window '^ImageJ$')
window "^$title\$" > /dev/null
ask place-input
read -r ijx ijy < <(origin "$ij")

# --- 3. Plugins > Decrappify > Decrappify Restore...  ---------------------------------------------------
click $((ijx + 321)) $((ijy + 12))          # Plugins
click $((ijx + 327)) $((ijy + 156))         # Decrappify (the last entry of plain ImageJ's Plugins menu)
xdotool mousemove $((ijx + 575)) $((ijy + 158)); sleep 0.8   # over Decrappify Restore...
import -window root -crop 770x345+0+0 "$base/menu.png"
png "$base/menu.png" "$out/fiji-menu.png"
xdotool click 1

dialog=$(window '^Decrappify: Decrappify Restore')
sleep 1
read -r dx dy < <(origin "$dialog")
click $((dx + 338)) $((dy + 81))           # the Model choice: its list of installed models opens
import -window root -crop 432x205+$((dx - 2))+$((dy - 24)) "$base/models.png"
png "$base/models.png" "$out/fiji-model-choice.png"
click $((dx + 338)) $((dy + 81))           # closes the list, keeping em-x4-unet-s
click $((dx + 45)) $((dy + 262))           # Test-time augmentation
click $((dx + 45)) $((dy + 286))           # Data-consistency QC map
import -window "$dialog" -frame "$base/dialog.png"
png "$base/dialog.png" "$out/fiji-restore-dialog.png"
click $((dx + 390)) $((dy + 323))          # OK

# --- 4. The result, its QC map and its uncertainty, beside the input ------------------------------------
window "restored by $model" 300 > /dev/null
window "QC map" 60 > /dev/null
window "TTA uncertainty" 60 > /dev/null
sleep 2
ask arrange-result
sleep 1
grab() { # TITLE_REGEX OUT (ImageJ adds the zoom to a zoomed window's title: "... (400%)")
  local id
  id=$(window "$1") || exit 1
  import -window "$id" -frame "$2"
}
grab "^$title \\(" "$base/input.png"
grab "restored by $model" "$base/restored.png"
grab "QC map" "$base/qc.png"
grab "TTA uncertainty" "$base/uncertainty.png"
beside() { # LEFT RIGHT OUT: two window captures side by side, 12 px of desktop between them
  convert "$1" \( "$2" -background '#6b7b8c' -gravity west -splice 12x0 \) -gravity north +append "$3"
}
beside "$base/input.png" "$base/restored.png" "$base/result.png"
beside "$base/qc.png" "$base/uncertainty.png" "$base/maps.png"
png "$base/result.png" "$out/fiji-restore-result.png"
png "$base/maps.png" "$out/fiji-qc-uncertainty.png"
ask close-all

# --- 5. Plugins > Decrappify > Decrappify Train..., self-supervised, and its live loss plot -------------
noisy="${work}noisy"
mkdir -p "$noisy"
for f in $train_frames; do cp "$fmd/$f" "$noisy/"; done
click $((ijx + 321)) $((ijy + 12))          # Plugins
click $((ijx + 327)) $((ijy + 156))         # Decrappify
click $((ijx + 575)) $((ijy + 215))         # Decrappify Train... (the fourth entry)
train=$(window '^Decrappify: Decrappify Train')
sleep 1
read -r tx ty < <(origin "$train")
type_in() { # X Y TEXT: replaces a text field's content
  click "$1" "$2"; xdotool key ctrl+a; xdotool type --delay 20 "$3"; sleep 0.3
}
click $((tx + 38)) $((ty + 98))            # Self-supervised
type_in $((tx + 373)) $((ty + 121)) "$noisy"         # Noisy images
type_in $((tx + 298)) $((ty + 261)) 1                # Scale
type_in $((tx + 298)) $((ty + 317)) "$train_steps"   # Steps
type_in $((tx + 298)) $((ty + 401)) 1.0E-3           # Learning rate (the command line's self-supervised default)
type_in $((tx + 373)) $((ty + 516)) "${work}fmd-n2v-x1"   # Output bundle folder
xdotool mousemove $((tx + 600)) $((ty + 300)); sleep 0.5    # the pointer off the dialog
import -window "$train" -frame "$base/train-dialog.png"
png "$base/train-dialog.png" "$out/fiji-train-dialog.png"
click $((tx + 531)) $((ty + 605))          # OK
xdotool mousemove 1790 990                 # off the plot window to come (its status line keeps the pointer's values)
loss=$(window '^Decrappify training loss' 120)
for _ in $(seq 600); do [ -f "${work}fmd-n2v-x1/rdf.yaml" ] && break; sleep 0.5; done
[ -f "${work}fmd-n2v-x1/rdf.yaml" ] || { echo "screenshots: the training did not finish (see $base/imagej.log)" >&2; exit 1; }
sleep 2
import -window "$loss" -frame "$base/train-loss.png"
png "$base/train-loss.png" "$out/fiji-train-loss.png"
: > "${work}quit"

{
  echo "# Made by docs/tools/screenshots.sh with ImageJ $(unzip -p "$app/ij.jar" META-INF/MANIFEST.MF | sed -n 's/^Implementation-Version: *//p' | tr -d '\r') and $(cd "$app/jars" && ls scijava-common-*.jar parsington-*.jar imglib2-*.jar | tr '\n' ' ')"
  echo "# from $input (Gerhard et al. 2013, CC BY-NC-SA 3.0), restored by (sha256 of weights.zip):"
  echo "$model $(sha256sum "models/$model/weights.zip" | cut -d' ' -f1)"
  echo "# fiji-train-*.png: Train... self-supervised, $train_steps steps, on (FMD, Zhang et al. 2019, MIT; sha256):"
  for f in $train_frames; do echo "$f $(sha256sum "$fmd/$f" | cut -d' ' -f1)"; done
} > "$out/screenshots.txt"
ls -l "$out"/fiji-*.png
