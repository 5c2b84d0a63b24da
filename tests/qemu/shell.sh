# Debian's dynamically linked bash, coreutils, findutils, grep, sed and procps (glibc,
# ld.so, libselinux, libpcre2...) run a script with pipes, redirections, subshells, job
# control, command substitution, sort, find, xargs and ps.
exec /bin/bash -s <<'SCRIPT'
set -u
echo "bash ${BASH_VERSINFO[0]}.${BASH_VERSINFO[1]}"
cd /tmp && mkdir -p work/a/b work/c && cd work
printf '%s\n' pear apple fig banana apple > fruit.txt
sort fruit.txt | uniq -c | sort -k1,1nr -k2 | sed 's/^ *//'
sort -u fruit.txt | tr a-z A-Z | paste -sd, -
wc -l < fruit.txt
grep -n 'an' fruit.txt; grep -c apple fruit.txt; grep -q kiwi fruit.txt || echo "no kiwi: $?"
echo one > a/b/x.txt; echo two >> a/b/x.txt; echo three > c/y.log; : > a/empty
find . -type f | sort
find . -name '*.txt' -print0 | xargs -0 cat | sort
find . -type d | sort | xargs -n2 echo pair
ls -1 a/b c | sed -e 's/^/ls: /'
cat a/b/x.txt 2>&1 >/dev/null | wc -c
{ echo out; echo err >&2; } 2>err.txt >out.txt; cat out.txt err.txt
ls /nonexistent 2>/dev/null; echo "ls status $?"
exec 3>fd3.txt; echo via-fd3 >&3; exec 3>&-; cat fd3.txt
x=$(echo sub; (echo nested; exit 3); echo "inner $?"); echo "$x" | tr '\n' ' '; echo
(cd a && pwd | sed 's|.*/work|work|'); pwd | sed 's|.*/work|work|'
seq 1 100 | paste -sd+ - | awk -F+ "{s=0; for (i=1;i<=NF;i++) s+=\$i; print s}"
seq 1 10 | sed -n '2~3p' | xargs
echo "cut: $(echo a:b:c:d | cut -d: -f2,4)"
head -c 1000 /dev/zero | od -An -c | head -1 | tr -s ' '
stat -c '%F %a %s' fruit.txt a
ln -s fruit.txt link; readlink link; ln fruit.txt hard; stat -c '%h' fruit.txt
date -d @86400 -u '+%Y-%m-%d %H:%M'
printf '%05.1f|%-4s|%x\n' 3.14159 ab 255
set -m
sleep 5 & bgpid=$!
jobs | sed 's/[0-9][0-9]*/N/'
kill -STOP $bgpid; sleep 0.2; jobs -l | grep -c Stopped
kill -CONT $bgpid; kill $bgpid; wait $bgpid; echo "wait status $?"
(sleep 0.1; exit 7) & wait $!; echo "subshell status $?"
sleep 0.1 & sleep 0.1 & wait; echo "waited all"
ps -o pid= -p $$ | grep -qw $$ && echo "ps sees the shell"
ps -e -o comm= | grep -cx bash | sed 's/^[1-9][0-9]*$/bash running/'
ps -o stat=,comm= -p $$
trap 'echo trapped USR1' USR1; kill -USR1 $$; echo after-trap
ulimit -n
type cd ls | sed 's|/usr/bin|/bin|'
cd / && rm -rf /tmp/work && echo cleaned
SCRIPT
