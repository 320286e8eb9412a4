;;; vmware-locked-vmdk: a host log shows a disk that cannot be locked; the lock dump shows who
;;; holds it; the holder's MAC (last group of the owner UUID, or an RO Owner line) is looked up
;;; in the collected NIC listings. Only hosts whose NIC carries a holder's MAC are named.

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
  "Once per unknown holder: say which listing would name it."
  (exists (vm-log-event (kind "lock-failed"|"lock-busy"|"disk-open-failed"|"consolidation-failed")
                        (disk ?d&~"")))
  (vmfs-lock (disk ?d) (file ?f) (mode ?m&:(integerp ?m)&:(> ?m 0)) (datastore ?ds))
  (vmfs-lock-holder (disk ?d) (mac ?mac&~""))
  (not (host-nic (mac ?mac) (host ~"")))
  =>
  (assert (hakb-unverified (rule "vmware-locked-vmdk")
            (check (str-cat "which host has MAC " ?mac ", the holder of the lock on " ?f))
            (collect (str-cat "esxcfg-nics -l (or esxcli network nic list) from every host that mounts "
                              (if (neq ?ds "") then ?ds else "the datastore"))))))

(defrule vmware-locked-vmdk-no-dump
  "Lock symptom but no lock dump of that disk: the finding stands, the holder is unverified."
  ?s <- (vm-log-event (kind "lock-failed"|"lock-busy"|"disk-open-failed"|"consolidation-failed")
                      (disk ?d&~"") (file ?f) (vm ?vm) (datastore ?ds) (host ?seen))
  (not (vmfs-lock (disk ?d)))
  =>
  (assert (hakb-finding (id "vmware-locked-vmdk") (key ?d) (evidence ?s) (confidence 0.6)
            (vars file ?f vm ?vm datastore ?ds seen_on ?seen no_dump "yes")))
  (assert (hakb-unverified (rule "vmware-locked-vmdk") (host ?seen)
            (check (str-cat "which host holds the lock on " ?f))
            (collect (str-cat "vmkfstools -D " ?f)))))

(defrule vmware-locked-vmdk-task-evidence
  "A failed or pending consolidation of the same VM belongs to the same finding."
  (vm-log-event (kind "lock-failed"|"lock-busy"|"disk-open-failed") (disk ?d&~"") (vm ?vm&~""))
  (exists (hakb-finding (id "vmware-locked-vmdk") (key ?d)))
  ?t <- (vm-log-event (kind "consolidation-failed"|"consolidation-needed") (disk "") (vm ?vm))
  =>
  (assert (hakb-finding (id "vmware-locked-vmdk") (key ?d) (evidence ?t) (vars task "consolidation"))))
