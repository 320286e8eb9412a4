;;; nsx-upgrade-ready: every prerequisite of the vCNS 5.5 -> NSX 6.2 in-place upgrade is proven.
;;;
;;; This file also decides what the other kb/nsx rules work on (they match these facts):
;;;   (nsx-scope)        the collection is about a vCNS/NSX upgrade: a vmkping on the vxlan
;;;                      netstack, the Manager's .vmx, a Manager version, or the backup listing
;;;                      was collected on purpose (a plain vm-support bundle of a host running
;;;                      NSX does not start upgrade checks);
;;;   (nsx-host <host>)  a host whose networking was collected: each is checked for VXLAN MTU,
;;;                      the path MTU and a distributed switch.
;;; Each check rule asserts (nsx-ok <check> <subject> <what was seen> <evidence...>) when it is
;;; proven, a finding when it fails, and hakb-unverified when a fact is missing. Ready needs an
;;; nsx-ok for every check and host, no failing finding and nothing unverified.

(defrule nsx-upgrade-ready-scope-vmkping
  (declare (salience 20))
  (vmkping-result (netstack "vxlan"))
  =>
  (assert (nsx-scope)))

(defrule nsx-upgrade-ready-scope-manager
  (declare (salience 20))
  (vm-config (role "nsx-manager"))
  =>
  (assert (nsx-scope)))

(defrule nsx-upgrade-ready-scope-version
  (declare (salience 20))
  (nsx-version)
  =>
  (assert (nsx-scope)))

(defrule nsx-upgrade-ready-scope-backup-listing
  (declare (salience 20))
  (upgrade-file-listing)
  =>
  (assert (nsx-scope)))

(defrule nsx-upgrade-ready-host
  (declare (salience 19))
  (nsx-scope)
  (or (host-nic (host ?h&~"") (source "esxcli-ip-interface"))
      (vswitch-listing (host ?h&~""))
      (vmkping-result (host ?h&~"")))
  =>
  (assert (nsx-host ?h)))

(defrule nsx-upgrade-ready
  (declare (salience -100))
  (nsx-scope)
  (exists (nsx-host ?))
  (forall (nsx-host ?h)
          (nsx-ok vxlan-mtu ?h $?)
          (nsx-ok vxlan-path ?h $?)
          (nsx-ok dvs ?h $?))
  (exists (nsx-ok manager-memory $?))
  (exists (nsx-ok manager-nic $?))
  (exists (nsx-ok snapshot-vcenter $?))
  (exists (nsx-ok snapshot-nsx-manager $?))
  (exists (nsx-ok backup $?))
  (exists (nsx-ok tech-support $?))
  (not (hakb-finding (id "nsx-vxlan-mtu"|"nsx-vxlan-path-drops"|"nsx-standard-vswitch-only"|
                         "nsx-manager-appliance"|"nsx-upgrade-snapshots"|"nsx-upgrade-backup")))
  (not (hakb-unverified (rule ?rule&:(eq (str-index "nsx-" ?rule) 1))))
  =>
  (assert (hakb-finding (id "nsx-upgrade-ready") (key "vcns-to-nsx") (vars status ready))))

;; List what was checked, with the facts that prove it.
(defrule nsx-upgrade-ready-checked
  (declare (salience -110))
  (hakb-finding (id "nsx-upgrade-ready") (key "vcns-to-nsx") (vars status ready))
  (nsx-ok ?check ?subject ?detail $?evidence)
  =>
  (assert (hakb-finding (id "nsx-upgrade-ready") (key "vcns-to-nsx") (evidence $?evidence)
                        (vars checked ?detail))))

(defrule nsx-upgrade-ready-hosts
  (declare (salience -110))
  (hakb-finding (id "nsx-upgrade-ready") (key "vcns-to-nsx") (vars status ready))
  (nsx-host ?h)
  =>
  (assert (hakb-finding (id "nsx-upgrade-ready") (key "vcns-to-nsx") (vars host ?h))))
