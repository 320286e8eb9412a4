;;; nsx-upgrade-snapshots: vCenter or the Manager appliance has no snapshot before the upgrade.
;;;
;;; The way back from a failed in-place upgrade is a snapshot of both VMs taken just before it.
;;; Their snapshot lists come from `vim-cmd vmsvc/snapshot.get <vmid>` (the VM named through
;;; `vim-cmd vmsvc/getallvms` on the same host) or from the VM's .vmsd file. Key: VM name.

;; (nsx-snapshot-list <role> <vm> <count> <evidence...>), whichever way the VM was identified.
(defrule nsx-upgrade-snapshots-list-named
  (declare (salience 15))
  ?l <- (vm-snapshot-list (role ?role&"vcenter"|"nsx-manager") (vm ?vm) (count ?n&:(integerp ?n)))
  =>
  (assert (nsx-snapshot-list ?role ?vm ?n ?l)))

(defrule nsx-upgrade-snapshots-list-by-vmid
  (declare (salience 15))
  ?l <- (vm-snapshot-list (role "") (vmid ?id&~"") (host ?h) (count ?n&:(integerp ?n)))
  ?i <- (vm-inventory (vmid ?id) (host ?h) (vm ?vm) (role ?role&"vcenter"|"nsx-manager"))
  =>
  (assert (nsx-snapshot-list ?role ?vm ?n ?l ?i)))

(defrule nsx-upgrade-snapshots-missing
  (nsx-snapshot-list ?role ?vm 0 $?evidence)
  =>
  (assert (hakb-finding (id "nsx-upgrade-snapshots") (key ?vm) (evidence $?evidence)
                        (vars vm ?vm role (if (eq ?role "vcenter") then "vCenter" else "Manager appliance")))))

(defrule nsx-upgrade-snapshots-ok
  (nsx-snapshot-list ?role ?vm ?n&:(> ?n 0) $?evidence)
  =>
  (assert (nsx-ok (sym-cat "snapshot-" ?role) ?vm
                  (str-cat (if (eq ?role "vcenter") then "vCenter " else "Manager ") ?vm ": " ?n
                           " snapshot" (if (= ?n 1) then "" else "s"))
                  $?evidence)))

(defrule nsx-upgrade-snapshots-unverified-vcenter
  (declare (salience -10))
  (nsx-scope)
  (not (nsx-snapshot-list "vcenter" $?))
  =>
  (assert (hakb-unverified (rule "nsx-upgrade-snapshots")
                           (check "snapshot of vCenter taken before the upgrade")
                           (collect (str-cat "collect `vim-cmd vmsvc/getallvms` and `vim-cmd vmsvc/snapshot.get "
                                             "<vmid>` for the vCenter VM from the host that runs it, or its .vmsd file")))))

(defrule nsx-upgrade-snapshots-unverified-manager
  (declare (salience -10))
  (nsx-scope)
  (not (nsx-snapshot-list "nsx-manager" $?))
  =>
  (assert (hakb-unverified (rule "nsx-upgrade-snapshots")
                           (check "snapshot of the vCNS Manager appliance taken before the upgrade")
                           (collect (str-cat "collect `vim-cmd vmsvc/getallvms` and `vim-cmd vmsvc/snapshot.get "
                                             "<vmid>` for the Manager VM from the host that runs it, or its .vmsd file")))))
