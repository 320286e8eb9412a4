;;; vmware-datastore-full: a datastore short of free space, and the snapshot deltas filling it.
;;;
;;; Facts read: datastore (df, esxcli storage filesystem list), vm-folder-usage / vm-file /
;;; vm-disk-chain (ls of VM folders), vm-log-event (hostd.log / vmware.log symptoms).
;;; Thresholds (why: datastore-full.md): free < 5 % -> warning; free < 1 %, or a VM on it
;;; stopped because a disk could not grow (out-of-space event) -> critical.
;;; Related findings: vmware-snapshot-chain (same VMs) and vmware-locked-vmdk (a disk of a VM
;;; on this datastore is locked), so the report tells one story.

;; A datastore is named by its label or its UUID; listings and logs may use either.
;; (vmware-datastore-alias <name or uuid as written> <datastore name>)
(defrule vmware-datastore-full-alias-name
  (declare (salience 10))
  (datastore (name ?ds&~""))
  =>
  (assert (vmware-datastore-alias ?ds ?ds)))

(defrule vmware-datastore-full-alias-uuid
  (declare (salience 10))
  (datastore (name ?ds&~"") (uuid ?uuid&~""))
  =>
  (assert (vmware-datastore-alias ?uuid ?ds)))

;; The datastore of a space symptom: the path in the log line, else the folder the VM's files
;; were listed in. (vmware-space-event <kind> <event> <datastore as written> <vm> <host>)
(defrule vmware-datastore-full-event-datastore
  (declare (salience 5))
  ?e <- (vm-log-event (kind ?kind&"out-of-space"|"vm-question") (datastore ?where&~"") (vm ?vm)
                      (host ?host))
  =>
  (assert (vmware-space-event ?kind ?e ?where ?vm ?host)))

(defrule vmware-datastore-full-event-folder
  (declare (salience 5))
  ?e <- (vm-log-event (kind ?kind&"out-of-space"|"vm-question") (datastore "") (vm ?vm&~"")
                      (host ?host))
  (vm-folder-usage (vm ?vm) (datastore ?where&~""))
  =>
  (assert (vmware-space-event ?kind ?e ?where ?vm ?host)))

;; Free space under 5 %. When several hosts or tools report the same datastore, the report with
;; the least free space speaks for it (then the first one read).
(defrule vmware-datastore-full-low-free
  ?d <- (datastore (name ?ds&~"") (size ?size&:(integerp ?size)&:(> ?size 0))
                   (free ?free&:(integerp ?free)) (fid ?fid) (free_text ?free-text)
                   (size_text ?size-text) (host ?host) (source ?source))
  (test (< (* ?free 100) (* ?size 5)))
  (not (datastore (name ?ds) (free ?other&:(integerp ?other)&:(< ?other ?free))))
  (not (datastore (name ?ds) (free ?free) (fid ?earlier&:(< ?earlier ?fid))))
  =>
  (bind ?pct (/ (* 100.0 ?free) ?size))
  (assert (hakb-finding (id "vmware-datastore-full") (key ?ds)
                        (severity (if (< ?pct 1.0) then "critical" else "warning"))
                        (evidence ?d)
                        (vars datastore ?ds free ?free-text size ?size-text
                              free_pct (format nil "%.2f" ?pct)
                              limit (if (< ?pct 1.0) then "1" else "5")
                              seen_on ?host source ?source))))

;; A VM stopped because its disk could not grow: critical whatever the last df said.
(defrule vmware-datastore-full-vm-stopped
  (vmware-space-event "out-of-space" ?e ?where ?vm ?)
  (vmware-datastore-alias ?where ?ds)
  =>
  (assert (hakb-finding (id "vmware-datastore-full") (key ?ds) (severity "critical")
                        (evidence ?e) (vars datastore ?ds stopped ?vm))))

;; ... also when no capacity listing was collected: then say what to collect.
(defrule vmware-datastore-full-vm-stopped-unmeasured
  (declare (salience -5))
  (vmware-space-event "out-of-space" ?e ?where ?vm ?host)
  (not (vmware-datastore-alias ?where ?))
  =>
  (assert (vmware-datastore-alias ?where ?where))
  (assert (hakb-finding (id "vmware-datastore-full") (key ?where) (severity "critical")
                        (evidence ?e) (vars datastore ?where stopped ?vm)))
  (assert (hakb-unverified (rule "vmware-datastore-full") (host ?host) (evidence ?e)
                           (check (str-cat "free space on datastore " ?where " (VM " ?vm
                                           " stopped for lack of space) was not collected"))
                           (collect (str-cat "collect `df -h` or `esxcli storage filesystem list`"
                                             (if (neq ?host "") then (str-cat " from " ?host) else ""))))))

;; A VM with a question pending (paused) on a datastore already short of space.
(defrule vmware-datastore-full-vm-question
  (hakb-finding (id "vmware-datastore-full") (key ?ds))
  (vmware-datastore-alias ?where ?ds)
  (vmware-space-event "vm-question" ?e ?where ?vm ?)
  =>
  (assert (hakb-finding (id "vmware-datastore-full") (key ?ds) (severity "critical")
                        (evidence ?e) (vars stopped ?vm))))

;; Which VMs' snapshot deltas take the space.
(defrule vmware-datastore-full-delta-use
  (hakb-finding (id "vmware-datastore-full") (key ?ds))
  (vmware-datastore-alias ?where ?ds)
  ?u <- (vm-folder-usage (datastore ?where) (vm ?vm) (delta_files ?n)
                         (delta_bytes ?bytes&:(integerp ?bytes)&:(> ?bytes 0)) (delta_size ?size))
  =>
  (assert (hakb-finding (id "vmware-datastore-full") (key ?ds) (evidence ?u)
                        (vars delta_vm ?vm
                              delta_use (str-cat ?vm ": " ?size " in " ?n " delta file"
                                                 (if (= ?n 1) then "" else "s"))))))

;; One story: the snapshot-chain finding of a VM whose deltas sit on this datastore ...
(defrule vmware-datastore-full-related-chain
  (vmware-datastore-alias ?where ?ds)
  (exists (hakb-finding (id "vmware-datastore-full") (key ?ds)))
  (vm-disk-chain (datastore ?where) (vm ?vm))
  (exists (hakb-finding (id "vmware-snapshot-chain") (key ?vm)))
  =>
  (assert (hakb-relate (id "vmware-datastore-full") (key ?ds)
                       (other-id "vmware-snapshot-chain") (other-key ?vm))))
(defrule vmware-datastore-full-related-lock
  (vmware-datastore-alias ?where ?ds)
  (exists (hakb-finding (id "vmware-datastore-full") (key ?ds)))
  (or (vm-file (datastore ?where) (vm ?vm) (disk ?disk&~""))
      (vm-log-event (datastore ?where) (vm ?vm) (disk ?disk&~"")))
  (exists (hakb-finding (id "vmware-locked-vmdk") (key ?disk)))
  =>
  (assert (hakb-relate (id "vmware-datastore-full") (key ?ds)
                       (other-id "vmware-locked-vmdk") (other-key ?disk))
          (hakb-finding (id "vmware-datastore-full") (key ?ds) (vars locked_disk ?disk locked_vm ?vm))))
