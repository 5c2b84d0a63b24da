# Pipes and redirections: |, >, >>, <, 2>&1, here-docs, fds, command substitution.
echo one two three | tr ' ' '\n' | sort -r
seq 1 5 | while read n; do echo "n=$n"; done
echo first > /tmp/p; echo second >> /tmp/p; cat < /tmp/p
ls /nonexistent 2>&1 | sed 's/^/err: /'
( echo out; echo err >&2 ) 2>/dev/null
( echo out; echo err >&2 ) > /tmp/both 2>&1; sort /tmp/both
cat <<EOT
here $((1 + 2)) doc
EOT
cat <<'EOT'
quoted $HOME stays
EOT
exec 3>/tmp/fd3; echo via fd 3 >&3; exec 3>&-; cat /tmp/fd3
x=$(echo substituted | tr a-z A-Z); echo "$x"
yes | head -3
dd if=/dev/zero bs=4096 count=256 2>/dev/null | wc -c
seq 1 20000 | tail -1
seq 1 20000 | md5sum | cut -d' ' -f1
false | true; echo "pipeline status: $?"
true | false; echo "pipeline status: $?"
echo to-stdin | cat - /tmp/p
rm /tmp/p /tmp/both /tmp/fd3
