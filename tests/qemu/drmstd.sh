# drmstd: modetest's test pattern on QEMU's standard VGA (drmstd.gpu). Linux drives it
# with bochs-drm, Lumen with simpledrm on GRUB's framebuffer (Debian's Linux has no
# simpledrm), so the job prints only what both give: modetest -s on the first
# connected connector at 1024x768 (connector and CRTC ids and the refresh rate
# filtered: bochs' 1024x768 mode has blanking, simpledrm's has none), and its pattern
# on the screen must equal Linux's pixel for pixel (drmstd.screens). The kernel
# console lights the CRTC at boot on both (Linux's bochs and simpledrm both set up
# generic fbdev) and its framebuffer is back once modetest has left.
mod=bochs-drm
modetest -M $mod -c > /dev/null 2>&1 || mod=simpledrm
conn=$(modetest -M $mod -c | awk '$3 == "connected" { print $1; exit }')
fb() { modetest -M $mod -p | awk '/^CRTCs:/ { getline; getline; print $2; exit }'; }
before=$(fb)
[ "$before" -gt 0 ] && echo "CRTC lit at boot" || echo "CRTC off at boot"
mkfifo /tmp/in
modetest -M $mod -s $conn:1024x768 < /tmp/in > /tmp/set.out 2>&1 & setter=$!
exec 3> /tmp/in
n=0
while ! ls -l /proc/$setter/fd 2>/dev/null | grep -q dri/card0 && [ $n -lt 200 ]; do
	sleep 0.1; n=$((n + 1))
done
while [ "$(fb)" = "$before" ] && [ $n -lt 200 ]; do sleep 0.1; n=$((n + 1)); done
shot drmstd-modetest; echo "shot: $?"
echo >&3; exec 3>&-
wait $setter; echo "modetest -s: $?"
[ "$(fb)" = "$before" ] && echo "the console's framebuffer is back" || echo "fb $(fb), not $before"
sed 's/[0-9.]*Hz on connectors [0-9]*, crtc [0-9]*/(rate)Hz on connectors (id), crtc (id)/' /tmp/set.out
