# Job control: SIGKILL ends a stop, other signals wait for SIGCONT, and an exit that
# orphans a group with a stopped process sends it SIGHUP and SIGCONT (a stopped job
# killed, then its parent's exit, once panicked the scheduler). Only statuses are
# printed: ash's "Killed" notes depend on timing.
sleep 5 & p=$!; sleep 0.2; kill -STOP $p; sleep 0.2; kill -9 $p; wait $p 2>/dev/null; echo "stopped-kill=$?"
sleep 5 & p=$!; sleep 0.2; kill -STOP $p; sleep 0.2; kill $p; sleep 0.2
kill -0 $p && echo "term waits for cont"; kill -CONT $p; wait $p 2>/dev/null; echo "continued-term=$?"
for i in 1 2 3 4 5; do
	(sh -c 'kill -STOP $$; echo never' & p=$!; sleep 0.2; kill -9 $p; wait $p; echo "loop $i=$?") 2>/dev/null
done
sh -c 'sh -c "kill -STOP \$\$; echo never" & sleep 0.2; kill -9 $!; sleep 0.1; exit 3'; echo "parent=$?"
setsid -c sh -c 'set -m; sleep 5 & kill -STOP $!; echo $! >/tmp/stopped; sleep 0.3' <>/dev/console >/dev/null 2>&1
sleep 0.5; kill -0 "$(cat /tmp/stopped)" 2>/dev/null && echo "orphan alive" || echo "orphan hung up"
