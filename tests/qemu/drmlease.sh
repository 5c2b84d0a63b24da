# drmlease: mode leases (CREATE_LEASE, LIST_LESSEES, GET_LEASE, REVOKE_LEASE) on
# virtio-gpu (drmlease.gpu): the lessee's view and rights, master changes, revoking
# and closing, with bad input.
drmlease
