# busybox file operations on tmpfs: create, copy, move, link, list, remove.
cd /tmp && mkdir -p t/a/b && cd t || exit 1
echo hello > a/f1
cat a/f1
touch a/empty
cp a/f1 a/f2
mv a/f2 a/b/f3
ln -s ../f1 a/b/link
readlink a/b/link
cat a/b/link
ls a a/b
ls -ln a/b | awk 'NF > 2 {print $1, $2, $3, $4, $5, $NF}'
stat -c '%n %F %a %h %u %g' a a/b
stat -c '%n %s %F %a %h %u %g' a/f1 a/empty a/b/f3 a/b/link
echo more >> a/b/f3
wc -c a/b/f3
cat a/b/f3
chmod 600 a/f1 && stat -c '%n %a' a/f1
ln a/f1 a/hard && stat -c '%n %h' a/f1 a/hard
rm a/f1
cat a/b/link; echo "cat dangling: $?"
cat a/hard
mkdir a; echo "mkdir existing: $?"
ls /nonexistent; echo "ls missing: $?"
printf 'c\nb\na\nb\n' > a/list && sort a/list | uniq
dd if=/dev/zero of=a/zeros bs=1024 count=64 2>/dev/null && wc -c < a/zeros
md5sum a/zeros | cut -d' ' -f1
find . | sort
rm -r a/b && ls a
rmdir a; echo "rmdir non-empty: $?"
rm -rf a && ls
cd / && rmdir /tmp/t && echo removed
