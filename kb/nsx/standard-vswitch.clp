;;; nsx-standard-vswitch-only: a host with standard vSwitches only, no distributed switch.
;;;
;;; NSX logical switches live on vSphere Distributed Switches; a host without one cannot be
;;; prepared. Proof that it has none: the DVS list was taken and showed nothing, and no
;;; vmkernel interface sits on a VDS. Key: host.

(deffunction nsx-standard-vswitch-join (?items ?separator)
  (bind ?text "")
  (progn$ (?item ?items)
    (bind ?text (str-cat ?text (if (eq ?text "") then "" else ?separator) ?item)))
  ?text)

(defrule nsx-standard-vswitch-only
  (nsx-scope)
  ?d <- (vswitch-listing (host ?h) (kind "dvs") (count 0))
  ?s <- (vswitch-listing (host ?h) (kind "standard") (count ?n&:(integerp ?n)&:(> ?n 0)))
  (not (vswitch (host ?h) (kind "dvs")))
  (not (host-nic (host ?h) (vds ?vds&~"")))
  =>
  (assert (hakb-finding (id "nsx-standard-vswitch-only") (key ?h) (evidence ?d ?s)
                        (vars host ?h count ?n))))

(defrule nsx-standard-vswitch-only-switches
  (hakb-finding (id "nsx-standard-vswitch-only") (key ?h))
  ?v <- (vswitch (host ?h) (kind "standard") (name ?name) (uplinks $?uplinks))
  =>
  (assert (hakb-finding (id "nsx-standard-vswitch-only") (key ?h) (evidence ?v)
                        (vars switch (if (> (length$ ?uplinks) 0)
                                         then (str-cat ?name " on " (nsx-standard-vswitch-join ?uplinks "/"))
                                         else ?name)))))

(defrule nsx-standard-vswitch-ok-dvs
  (nsx-host ?h)
  ?v <- (vswitch (host ?h) (kind "dvs") (name ?name))
  =>
  (assert (nsx-ok dvs ?h (str-cat ?h ": on distributed switch " ?name) ?v)))

(defrule nsx-standard-vswitch-ok-vmk-on-vds
  (nsx-host ?h)
  ?n <- (host-nic (host ?h) (name ?vmk) (vds ?vds&~""))
  =>
  (assert (nsx-ok dvs ?h (str-cat ?h ": on distributed switch " ?vds) ?n)))

(defrule nsx-standard-vswitch-unverified
  (declare (salience -10))
  (nsx-host ?h)
  (not (vswitch (host ?h) (kind "dvs")))
  (not (host-nic (host ?h) (vds ~"")))
  (not (vswitch-listing (host ?h) (kind "dvs")))
  =>
  (assert (hakb-unverified (rule "nsx-standard-vswitch-only") (host ?h)
                           (check "whether the host is on a vSphere Distributed Switch")
                           (collect (str-cat "collect `esxcli network vswitch dvs vmware list` "
                                             "(pasted with its command line) from " ?h)))))
