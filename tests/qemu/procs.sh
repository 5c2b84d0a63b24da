# 1,000 short processes in a row, then NULL dereferences that must only kill the process.
i=0; fails=0
while [ $i -lt 1000 ]; do /usr/local/bin/nop || fails=$((fails + 1)); i=$((i + 1)); done
echo "ran $i processes, $fails failed"
i=0; while [ $i -lt 100 ]; do /bin/true || fails=$((fails + 1)); i=$((i + 1)); done
echo "ran $i busybox processes, $fails failed"
segv; echo "segv status=$?"
segv 2>/dev/null; segv; echo "again status=$?"
sh -c 'segv'; echo "via sh -c status=$?"
echo "survived"
