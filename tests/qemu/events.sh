# Event files, checked call by call against Linux: epoll (create/ctl/wait/pwait/pwait2,
# level/edge/one-shot, nested sets, close semantics, fork wake-ups, signals) and
# eventfds (eventfd counters, flags, overflow and blocking rules).
epoll; echo "epoll status=$?"
eventfds; echo "eventfds status=$?"
