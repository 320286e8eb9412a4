;;; vmware-locked-vmdk: a host log shows a disk that cannot be locked; the lock dump shows who
;;; holds it; the holder's MAC (last group of the owner UUID, or an RO Owner line) is looked up
;;; in the collected NIC listings. Only hosts whose NIC carries a holder's MAC are named.
;;; What is missing is asked for (hakb triage): the lock dump of the disk's data file, which
;;; hosts mount the datastore, then the NIC listing of each of those hosts.
;;;
;;; Joins go through one fact per locked disk, per held lock and per holder (built first), so
;;; the same evidence seen k times (k bundles of one incident in one case) costs O(k) firings,
;;; not k^4: the conclusion is asserted once per lock and holder, and each symptom, lock dump,
;;; holder line and NIC line adds itself as evidence to the one finding of its disk.

(deffunction vmware-locked-vmdk-data-file (?file)
  "The file whose lock vmkfstools -D must show: a snapshot descriptor's -delta file, a base
   descriptor's -flat file; a data file (or anything else) as it is."
  (bind ?n (str-length ?file))
  (if (or (< ?n 6) (neq (lowcase (sub-string (- ?n 4) ?n ?file)) ".vmdk")) then (return ?file))
  (bind ?stem (sub-string 1 (- ?n 5) ?file))
  (bind ?m (str-length ?stem))
  (foreach ?suffix (create$ "-flat" "-delta" "-sesparse" "-rdm" "-rdmp" "-ctk")
    (bind ?k (str-length ?suffix))
    (if (and (> ?m ?k) (eq (lowcase (sub-string (+ (- ?m ?k) 1) ?m ?stem)) ?suffix)) then
      (return ?file)))
  (if (and (> ?m 7) (eq (sub-string (- ?m 6) (- ?m 6) ?stem) "-")
           (integerp (string-to-field (sub-string (- ?m 5) ?m ?stem))))
      then (str-cat ?stem "-delta.vmdk")
      else (str-cat ?stem "-flat.vmdk")))

(deffunction vmware-locked-vmdk-short-host (?name)
  (bind ?name (lowcase ?name))
  (bind ?dot (str-index "." ?name))
  (if (and ?dot (not (integerp (string-to-field (sub-string 1 (- ?dot 1) ?name)))))
      then (sub-string 1 (- ?dot 1) ?name) else ?name))

(deffunction vmware-locked-vmdk-mounting-topic (?datastore)
  "The topic of the answer naming the hosts that mount a datastore."
  (str-cat "hosts mounting " (if (neq ?datastore "") then ?datastore else "the datastore")))

(deftemplate locked-vmdk-disk "A disk some log says cannot be locked or opened."
  (slot disk (type STRING)))
(deftemplate locked-vmdk-lock "A lock dump of that disk showing it held (mode > 0)."
  (slot disk (type STRING)) (slot file (type STRING)) (slot mode) (slot datastore (type STRING)))
(deftemplate locked-vmdk-holder "A MAC address holding a lock on the disk."
  (slot disk (type STRING)) (slot mac (type STRING)))
(deftemplate locked-vmdk-vm "A VM whose own log lines show the disk locked."
  (slot disk (type STRING)) (slot vm (type STRING)))

;;; -- one fact per disk, lock, holder ----------------------------------------------------------

(defrule vmware-locked-vmdk-disk
  (vm-log-event (kind "lock-failed"|"lock-busy"|"disk-open-failed"|"consolidation-failed")
                (disk ?d&~""))
  (not (locked-vmdk-disk (disk ?d)))
  =>
  (assert (locked-vmdk-disk (disk ?d))))

(defrule vmware-locked-vmdk-lock
  (locked-vmdk-disk (disk ?d))
  (vmfs-lock (disk ?d) (file ?f) (mode ?m&:(integerp ?m)&:(> ?m 0)) (datastore ?ds))
  (not (locked-vmdk-lock (disk ?d) (file ?f) (mode ?m) (datastore ?ds)))
  =>
  (assert (locked-vmdk-lock (disk ?d) (file ?f) (mode ?m) (datastore ?ds))))

(defrule vmware-locked-vmdk-holder
  (locked-vmdk-disk (disk ?d))
  (vmfs-lock-holder (disk ?d) (mac ?mac&~""))
  (not (locked-vmdk-holder (disk ?d) (mac ?mac)))
  =>
  (assert (locked-vmdk-holder (disk ?d) (mac ?mac))))

(defrule vmware-locked-vmdk-vm
  (vm-log-event (kind "lock-failed"|"lock-busy"|"disk-open-failed") (disk ?d&~"") (vm ?vm&~""))
  (not (locked-vmdk-vm (disk ?d) (vm ?vm)))
  =>
  (assert (locked-vmdk-vm (disk ?d) (vm ?vm))))

;;; -- the conclusion, once per lock and holder --------------------------------------------------

(defrule vmware-locked-vmdk-holder-known
  "Lock symptom + lock dump + a NIC listing that names the holding host."
  (locked-vmdk-lock (disk ?d) (file ?f) (mode ?m) (datastore ?lds))
  (locked-vmdk-holder (disk ?d) (mac ?mac))
  (host-nic (mac ?mac) (host ?holder&~""))
  =>
  (assert (hakb-finding (id "vmware-locked-vmdk") (key ?d)
            (vars file ?f mode ?m datastore ?lds holder_host ?holder
                  holder (str-cat ?holder " (" ?mac ")")))))

(defrule vmware-locked-vmdk-holder-unknown
  "Lock symptom + lock dump, but no collected NIC listing has the holder's MAC."
  (locked-vmdk-lock (disk ?d) (file ?f) (mode ?m) (datastore ?lds))
  (locked-vmdk-holder (disk ?d) (mac ?mac))
  (not (host-nic (mac ?mac) (host ~"")))
  =>
  (assert (hakb-finding (id "vmware-locked-vmdk") (key ?d)
            (vars file ?f mode ?m datastore ?lds unknown_mac ?mac))))

(defrule vmware-locked-vmdk-ask-for-holder-nics
  "Once per unknown holder: say which listing would name it, or ask which hosts to look at."
  (locked-vmdk-lock (disk ?d) (file ?f) (datastore ?ds))
  (locked-vmdk-holder (disk ?d) (mac ?mac))
  (not (host-nic (mac ?mac) (host ~"")))
  (not (triage-answer (topic =(vmware-locked-vmdk-mounting-topic ?ds))))
  =>
  (assert (hakb-unverified (rule "vmware-locked-vmdk")
            (check (str-cat "which host has MAC " ?mac ", the holder of the lock on " ?f))
            (collect (str-cat "esxcfg-nics -l (or esxcli network nic list) from every host that mounts "
                              (if (neq ?ds "") then ?ds else "the datastore")))
            (ask (str-cat "Which ESXi hosts mount " (if (neq ?ds "") then ?ds else "the datastore")
                          "? Name them, separated by commas."))
            (topic (vmware-locked-vmdk-mounting-topic ?ds)))))

(defrule vmware-locked-vmdk-ask-host-nics
  "For each host a person named as mounting the datastore: its NIC listing, until one has the MAC."
  (locked-vmdk-lock (disk ?d) (file ?f) (datastore ?ds))
  (locked-vmdk-holder (disk ?d) (mac ?mac))
  (not (host-nic (mac ?mac) (host ~"")))
  ?a <- (triage-answer (topic =(vmware-locked-vmdk-mounting-topic ?ds)) (items $? ?h $?))
  (not (host-nic (host ?nh&:(eq (vmware-locked-vmdk-short-host ?nh) (vmware-locked-vmdk-short-host ?h)))))
  =>
  (assert (hakb-unverified (rule "vmware-locked-vmdk") (host ?h) (evidence ?a)
            (check (str-cat "whether " ?h " has MAC " ?mac ", the holder of the lock on " ?f))
            (collect "esxcfg-nics -l"))))

;;; -- each piece of evidence, once, to the finding of its disk ------------------------------------

(defrule vmware-locked-vmdk-symptom-evidence
  "The log lines showing the disk locked (who saw it, for which VM)."
  ?s <- (vm-log-event (kind "lock-failed"|"lock-busy"|"disk-open-failed"|"consolidation-failed")
                      (disk ?d&~"") (vm ?vm) (datastore ?ds) (host ?seen))
  (exists (locked-vmdk-lock (disk ?d)))
  (exists (locked-vmdk-holder (disk ?d)))
  =>
  (assert (hakb-finding (id "vmware-locked-vmdk") (key ?d) (evidence ?s)
            (vars vm ?vm datastore ?ds seen_on ?seen))))

(defrule vmware-locked-vmdk-dump-evidence
  "The lock dump lines showing the lock held."
  ?l <- (vmfs-lock (disk ?d) (mode ?m&:(integerp ?m)&:(> ?m 0)))
  (exists (locked-vmdk-holder (disk ?d)))
  =>
  (assert (hakb-finding (id "vmware-locked-vmdk") (key ?d) (evidence ?l))))

(defrule vmware-locked-vmdk-holder-evidence
  "The lock dump lines naming a holder."
  ?h <- (vmfs-lock-holder (disk ?d) (mac ?mac&~""))
  (exists (locked-vmdk-lock (disk ?d)))
  =>
  (assert (hakb-finding (id "vmware-locked-vmdk") (key ?d) (evidence ?h))))

(defrule vmware-locked-vmdk-nic-evidence
  "The NIC listing lines that name a holding host."
  (locked-vmdk-holder (disk ?d) (mac ?mac))
  (exists (locked-vmdk-lock (disk ?d)))
  ?n <- (host-nic (mac ?mac) (host ~""))
  =>
  (assert (hakb-finding (id "vmware-locked-vmdk") (key ?d) (evidence ?n))))

;;; -- without a lock dump ---------------------------------------------------------------------------

(defrule vmware-locked-vmdk-no-dump
  "Lock symptom but no lock dump of that disk: the finding stands, the holder is unverified."
  ?s <- (vm-log-event (kind "lock-failed"|"lock-busy"|"disk-open-failed"|"consolidation-failed")
                      (disk ?d&~"") (file ?f) (vm ?vm) (datastore ?ds) (host ?seen))
  (not (vmfs-lock (disk ?d)))
  =>
  (assert (hakb-finding (id "vmware-locked-vmdk") (key ?d) (evidence ?s) (confidence 0.6)
            (vars file ?f vm ?vm datastore ?ds seen_on ?seen no_dump "yes"))))

(defrule vmware-locked-vmdk-ask-for-dump
  "No lock dump of the disk: ask for one, of its data file, by the full path when a log gives it."
  (locked-vmdk-disk (disk ?d))
  (not (vmfs-lock (disk ?d)))
  ?s <- (vm-log-event (kind "lock-failed"|"lock-busy"|"disk-open-failed"|"consolidation-failed")
                      (disk ?d) (file ?f&~"") (host ?seen))
  (not (vm-log-event (disk ?d) (file ?full&:(and (eq (sub-string 1 1 ?full) "/")
                                                 (neq (sub-string 1 1 ?f) "/")))))
  =>
  (bind ?data (vmware-locked-vmdk-data-file ?f))
  (assert (hakb-unverified (rule "vmware-locked-vmdk") (host ?seen) (evidence ?s)
            (check (str-cat "which host holds the lock on " ?data))
            (collect (str-cat "vmkfstools -D " ?data)))))

(defrule vmware-locked-vmdk-task-evidence
  "A failed or pending consolidation of the same VM belongs to the same finding."
  (locked-vmdk-vm (disk ?d) (vm ?vm))
  (exists (hakb-finding (id "vmware-locked-vmdk") (key ?d)))
  ?t <- (vm-log-event (kind "consolidation-failed"|"consolidation-needed") (disk "") (vm ?vm))
  =>
  (assert (hakb-finding (id "vmware-locked-vmdk") (key ?d) (evidence ?t) (vars task "consolidation"))))
