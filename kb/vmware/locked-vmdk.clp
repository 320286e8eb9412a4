;;; vmware-locked-vmdk: a host log shows a disk that cannot be locked; the lock dump shows who
;;; holds it; the holder's MAC (last group of the owner UUID, or an RO Owner line) is looked up
;;; in the collected NIC listings. Only hosts whose NIC carries a holder's MAC are named.
;;; What is missing is asked for (hakb triage): the lock dump of the disk's data file, which
;;; hosts mount the datastore, then the NIC listing of each of those hosts.

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

(defrule vmware-locked-vmdk-holder-known
  "Lock symptom + lock dump + a NIC listing that names the holding host."
  ?s <- (vm-log-event (kind "lock-failed"|"lock-busy"|"disk-open-failed"|"consolidation-failed")
                      (disk ?d&~"") (vm ?vm) (datastore ?ds) (host ?seen))
  ?l <- (vmfs-lock (disk ?d) (file ?f) (mode ?m&:(integerp ?m)&:(> ?m 0)) (datastore ?lds))
  ?h <- (vmfs-lock-holder (disk ?d) (mac ?mac&~""))
  ?n <- (host-nic (mac ?mac) (host ?holder&~""))
  =>
  (assert (hakb-finding (id "vmware-locked-vmdk") (key ?d) (evidence ?s ?l ?h ?n)
            (vars file ?f mode ?m vm ?vm datastore ?lds datastore ?ds seen_on ?seen
                  holder_host ?holder holder (str-cat ?holder " (" ?mac ")")))))

(defrule vmware-locked-vmdk-holder-unknown
  "Lock symptom + lock dump, but no collected NIC listing has the holder's MAC."
  ?s <- (vm-log-event (kind "lock-failed"|"lock-busy"|"disk-open-failed"|"consolidation-failed")
                      (disk ?d&~"") (vm ?vm) (datastore ?ds) (host ?seen))
  ?l <- (vmfs-lock (disk ?d) (file ?f) (mode ?m&:(integerp ?m)&:(> ?m 0)) (datastore ?lds))
  ?h <- (vmfs-lock-holder (disk ?d) (mac ?mac&~""))
  (not (host-nic (mac ?mac) (host ~"")))
  =>
  (assert (hakb-finding (id "vmware-locked-vmdk") (key ?d) (evidence ?s ?l ?h)
            (vars file ?f mode ?m vm ?vm datastore ?lds datastore ?ds seen_on ?seen unknown_mac ?mac))))

(defrule vmware-locked-vmdk-ask-for-holder-nics
  "Once per unknown holder: say which listing would name it, or ask which hosts to look at."
  (exists (vm-log-event (kind "lock-failed"|"lock-busy"|"disk-open-failed"|"consolidation-failed")
                        (disk ?d&~"")))
  ?l <- (vmfs-lock (disk ?d) (file ?f) (mode ?m&:(integerp ?m)&:(> ?m 0)) (datastore ?ds))
  (vmfs-lock-holder (disk ?d) (mac ?mac&~""))
  (not (host-nic (mac ?mac) (host ~"")))
  (not (triage-answer (topic =(vmware-locked-vmdk-mounting-topic ?ds))))
  =>
  (assert (hakb-unverified (rule "vmware-locked-vmdk") (evidence ?l)
            (check (str-cat "which host has MAC " ?mac ", the holder of the lock on " ?f))
            (collect (str-cat "esxcfg-nics -l (or esxcli network nic list) from every host that mounts "
                              (if (neq ?ds "") then ?ds else "the datastore")))
            (ask (str-cat "Which ESXi hosts mount " (if (neq ?ds "") then ?ds else "the datastore")
                          "? Name them, separated by commas."))
            (topic (vmware-locked-vmdk-mounting-topic ?ds)))))

(defrule vmware-locked-vmdk-ask-host-nics
  "For each host a person named as mounting the datastore: its NIC listing, until one has the MAC."
  (exists (vm-log-event (kind "lock-failed"|"lock-busy"|"disk-open-failed"|"consolidation-failed")
                        (disk ?d&~"")))
  ?l <- (vmfs-lock (disk ?d) (file ?f) (mode ?m&:(integerp ?m)&:(> ?m 0)) (datastore ?ds))
  (vmfs-lock-holder (disk ?d) (mac ?mac&~""))
  (not (host-nic (mac ?mac) (host ~"")))
  ?a <- (triage-answer (topic =(vmware-locked-vmdk-mounting-topic ?ds)) (items $? ?h $?))
  (not (host-nic (host ?nh&:(eq (vmware-locked-vmdk-short-host ?nh) (vmware-locked-vmdk-short-host ?h)))))
  =>
  (assert (hakb-unverified (rule "vmware-locked-vmdk") (host ?h) (evidence ?l ?a)
            (check (str-cat "whether " ?h " has MAC " ?mac ", the holder of the lock on " ?f))
            (collect "esxcfg-nics -l"))))

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
  ?s <- (vm-log-event (kind "lock-failed"|"lock-busy"|"disk-open-failed"|"consolidation-failed")
                      (disk ?d&~"") (file ?f&~"") (host ?seen))
  (not (vmfs-lock (disk ?d)))
  (not (vm-log-event (disk ?d) (file ?full&:(and (eq (sub-string 1 1 ?full) "/")
                                                 (neq (sub-string 1 1 ?f) "/")))))
  =>
  (bind ?data (vmware-locked-vmdk-data-file ?f))
  (assert (hakb-unverified (rule "vmware-locked-vmdk") (host ?seen) (evidence ?s)
            (check (str-cat "which host holds the lock on " ?data))
            (collect (str-cat "vmkfstools -D " ?data)))))

(defrule vmware-locked-vmdk-task-evidence
  "A failed or pending consolidation of the same VM belongs to the same finding."
  (vm-log-event (kind "lock-failed"|"lock-busy"|"disk-open-failed") (disk ?d&~"") (vm ?vm&~""))
  (exists (hakb-finding (id "vmware-locked-vmdk") (key ?d)))
  ?t <- (vm-log-event (kind "consolidation-failed"|"consolidation-needed") (disk "") (vm ?vm))
  =>
  (assert (hakb-finding (id "vmware-locked-vmdk") (key ?d) (evidence ?t) (vars task "consolidation"))))
