# Signals, stop/continue, EINTR and restarts, waitid, timers, vfork, #! scripts,
# threads with futexes, exec from a thread, ppoll/pselect6 masks (signals).
/usr/local/bin/signals; echo "signals status=$?"
