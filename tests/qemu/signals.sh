# Signals, stop/continue, EINTR and restarts, waitid, timers, vfork, #! scripts,
# threads with futexes, and exec from a thread (signals).
/usr/local/bin/signals; echo "signals status=$?"
