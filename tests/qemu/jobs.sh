# sh -c with background jobs and wait: exit codes and signals of background jobs.
sh -c 'sleep 0.2; exit 3' & p1=$!
sh -c 'exit 5' & p2=$!
(sleep 0.1; echo bg-done) &
wait $p1; echo "p1=$?"
wait $p2; echo "p2=$?"
wait; echo "all done"
sh -c 'kill -9 $$'; echo "killed=$?"
# ash prints "Terminated" only when the child dies after `wait` began, a race on any
# kernel, so that message is dropped; the status is what is checked.
sh -c 'sleep 5' & p=$!; kill $p; wait $p 2>/dev/null; echo "term=$?"
sh -c 'echo a & echo b & wait' | sort
sh -c 'sleep 0.1 & sleep 0.1 & wait; echo inner waited'
for i in 1 2 3 4 5; do sh -c "exit $i" & done; wait; echo "five jobs"
sh -c 'exit 42'; echo "fg=$?"
