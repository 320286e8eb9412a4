;;; vmware-snapshot-chain: a VM running on a deep or heavy chain of snapshot deltas.
;;;
;;; Facts read: vm-disk-chain / vm-file (ls of the VM folder), vm-log-event (consolidation
;;; symptoms). Thresholds (why: snapshot-chain.md): 3 or more deltas on one base disk, or
;;; deltas adding up to a quarter or more of the base disk. One finding per VM (key: VM name).

(deffunction vmware-snapshot-chain-describe (?disk ?depth ?top ?delta-size ?base-size ?delta ?base)
  (str-cat ?disk ": " ?depth " delta" (if (= ?depth 1) then "" else "s") " up to " ?top ", "
           ?delta-size " of deltas"
           (if (and (integerp ?base) (> ?base 0))
               then (str-cat " on a " ?base-size " base disk ("
                             (integer (round (/ (* 100.0 ?delta) ?base))) " %)")
               else "")))

(defrule vmware-snapshot-chain-deep
  ?c <- (vm-disk-chain (vm ?vm) (datastore ?ds) (folder ?folder) (disk ?disk)
                       (depth ?depth&:(integerp ?depth)&:(>= ?depth 3)) (top ?top)
                       (delta_size ?delta-size) (base_size ?base-size)
                       (delta_bytes ?delta) (base_bytes ?base))
  =>
  (assert (hakb-finding (id "vmware-snapshot-chain") (key ?vm) (evidence ?c)
                        (vars vm ?vm datastore ?ds folder ?folder top ?top depth ?depth
                              reason (str-cat ?depth " deltas on " ?disk)
                              chain (vmware-snapshot-chain-describe ?disk ?depth ?top ?delta-size
                                                                    ?base-size ?delta ?base)))))

(defrule vmware-snapshot-chain-large
  ?c <- (vm-disk-chain (vm ?vm) (datastore ?ds) (folder ?folder) (disk ?disk)
                       (depth ?depth&:(integerp ?depth)&:(> ?depth 0)) (top ?top)
                       (delta_size ?delta-size) (base_size ?base-size)
                       (delta_bytes ?delta&:(integerp ?delta))
                       (base_bytes ?base&:(integerp ?base)&:(> ?base 0)))
  (test (>= (* ?delta 4) ?base))
  =>
  (assert (hakb-finding (id "vmware-snapshot-chain") (key ?vm) (evidence ?c)
                        (vars vm ?vm datastore ?ds folder ?folder top ?top depth ?depth
                              reason (str-cat "deltas of " ?disk " at "
                                              (integer (round (/ (* 100.0 ?delta) ?base)))
                                              " % of the base disk")
                              chain (vmware-snapshot-chain-describe ?disk ?depth ?top ?delta-size
                                                                    ?base-size ?delta ?base)))))

;; The delta files themselves are the evidence a person checks in the listing.
(defrule vmware-snapshot-chain-delta-files
  (hakb-finding (id "vmware-snapshot-chain") (key ?vm))
  ?f <- (vm-file (vm ?vm) (kind "delta-data"))
  =>
  (assert (hakb-finding (id "vmware-snapshot-chain") (key ?vm) (evidence ?f))))

;; vCenter/hostd already know: "consolidation needed" or a failed consolidation.
(defrule vmware-snapshot-chain-consolidation
  (hakb-finding (id "vmware-snapshot-chain") (key ?vm))
  ?e <- (vm-log-event (vm ?vm) (kind ?kind&"consolidation-needed"|"consolidation-failed"))
  =>
  (assert (hakb-finding (id "vmware-snapshot-chain") (key ?vm) (evidence ?e)
                        (vars consolidation (if (eq ?kind "consolidation-needed")
                                                then "consolidation needed"
                                                else "a consolidation failed")))))

;; One story with the locked-disk finding of a disk of this VM: consolidation needs the lock gone.
(defrule vmware-snapshot-chain-related-lock
  (or (vm-file (vm ?vm) (disk ?disk&~""))
      (vm-log-event (vm ?vm) (disk ?disk&~"")))
  (exists (hakb-finding (id "vmware-snapshot-chain") (key ?vm)))
  (exists (hakb-finding (id "vmware-locked-vmdk") (key ?disk)))
  =>
  (assert (hakb-relate (id "vmware-snapshot-chain") (key ?vm)
                       (other-id "vmware-locked-vmdk") (other-key ?disk))
          (hakb-finding (id "vmware-snapshot-chain") (key ?vm) (vars locked_disk ?disk))))
(defrule vmware-snapshot-chain-free-space-unknown
  (declare (salience -10))
  (hakb-finding (id "vmware-snapshot-chain") (key ?vm))
  ?c <- (vm-disk-chain (vm ?vm) (datastore ?where&~"") (host ?host))
  (not (vmware-datastore-alias ?where ?))
  =>
  (assert (hakb-unverified (rule "vmware-snapshot-chain") (host ?host) (evidence ?c)
                           (check (str-cat "free space on datastore " ?where ", which holds the "
                                           "snapshot deltas of " ?vm ", was not collected"))
                           (collect (str-cat "collect `df -h` or `esxcli storage filesystem list`"
                                             (if (neq ?host "") then (str-cat " from " ?host) else ""))))))

;; hostd says the VM needs consolidation but its folder was not listed: depth and size unknown.
(defrule vmware-snapshot-chain-unlisted
  (declare (salience -10))
  ?e <- (vm-log-event (vm ?vm&~"") (kind "consolidation-needed") (datastore ?ds) (host ?host))
  (not (vm-disk-chain (vm ?vm)))
  (not (vm-folder-usage (vm ?vm)))
  =>
  (assert (hakb-unverified (rule "vmware-snapshot-chain") (host ?host) (evidence ?e)
                           (check (str-cat "snapshot chain of " ?vm " (hostd reports it needs "
                                           "consolidation): depth and delta size unknown"))
                           (collect (str-cat "collect `ls -lh /vmfs/volumes/"
                                             (if (neq ?ds "") then ?ds else "<datastore>") "/" ?vm "/`"
                                             (if (neq ?host "") then (str-cat " from " ?host) else ""))))))
