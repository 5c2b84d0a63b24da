# drmprop: KMS properties, property blobs, DPMS, OBJ_SETPROPERTY and MODE_ATOMIC on
# virtio-gpu (drmprop.gpu), with bad input; object ids are printed by name.
drmprop
