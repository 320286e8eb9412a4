;;; nsx-vxlan-mtu: a VXLAN vmkernel interface (VTEP) whose MTU is below 1600.
;;;
;;; VXLAN adds 50 bytes to every frame, so the VTEP interfaces and the path between them need an
;;; MTU of at least 1600. Proof comes two ways: the MTU `esxcli network ip interface list` shows
;;; for interfaces on the vxlan netstack, and vmkping -d -s 1572 failing with "Message too long"
;;; (the local interface refused the 1600-byte packet). Key: "<host>/<vmk>".

(defrule nsx-vxlan-mtu-interface
  ?n <- (host-nic (host ?h) (name ?vmk) (netstack "vxlan") (mtu ?mtu&:(integerp ?mtu)&:(< ?mtu 1600))
                  (vds ?vds) (ip ?ip))
  =>
  (assert (hakb-finding (id "nsx-vxlan-mtu") (key (str-cat ?h "/" ?vmk)) (evidence ?n)
                        (vars host ?h vmk ?vmk mtu ?mtu vds ?vds ip ?ip))))

;; vmkping named the interface (-I vmkN).
(defrule nsx-vxlan-mtu-message-too-long
  ?p <- (vmkping-result (host ?h) (netstack "vxlan") (outcome "message-too-long") (vmk ?vmk&~"")
                        (size ?size&:(integerp ?size)&:(<= ?size 1572)) (target ?target))
  =>
  (assert (hakb-finding (id "nsx-vxlan-mtu") (key (str-cat ?h "/" ?vmk)) (evidence ?p)
                        (vars host ?h vmk ?vmk target ?target size ?size packet (+ ?size 28)))))

;; vmkping without -I: it left through the host's VXLAN interfaces; blame the small ones.
(defrule nsx-vxlan-mtu-message-too-long-interface
  ?p <- (vmkping-result (host ?h) (netstack "vxlan") (outcome "message-too-long") (vmk "")
                        (size ?size&:(integerp ?size)&:(<= ?size 1572)) (target ?target))
  ?n <- (host-nic (host ?h) (name ?vmk) (netstack "vxlan") (mtu ?mtu&:(integerp ?mtu)&:(< ?mtu 1600)))
  =>
  (assert (hakb-finding (id "nsx-vxlan-mtu") (key (str-cat ?h "/" ?vmk)) (evidence ?p ?n)
                        (vars host ?h vmk ?vmk mtu ?mtu target ?target size ?size packet (+ ?size 28)))))

(defrule nsx-vxlan-mtu-message-too-long-unknown-interface
  ?p <- (vmkping-result (host ?h) (netstack "vxlan") (outcome "message-too-long") (vmk "")
                        (size ?size&:(integerp ?size)&:(<= ?size 1572)) (target ?target))
  (not (host-nic (host ?h) (netstack "vxlan") (mtu ?mtu&:(integerp ?mtu)&:(< ?mtu 1600))))
  =>
  (assert (hakb-finding (id "nsx-vxlan-mtu") (key (str-cat ?h "/vxlan")) (evidence ?p)
                        (vars host ?h target ?target size ?size packet (+ ?size 28)))))

(defrule nsx-vxlan-mtu-ok
  (nsx-host ?h)
  ?n <- (host-nic (host ?h) (name ?vmk) (netstack "vxlan") (mtu ?mtu&:(integerp ?mtu)&:(>= ?mtu 1600)))
  (not (host-nic (host ?h) (netstack "vxlan") (mtu ?small&:(or (not (integerp ?small)) (< ?small 1600)))))
  (not (vmkping-result (host ?h) (netstack "vxlan") (outcome "message-too-long")))
  =>
  (assert (nsx-ok vxlan-mtu ?h (str-cat ?h " " ?vmk ": MTU " ?mtu " on the vxlan netstack") ?n)))

(defrule nsx-vxlan-mtu-unverified-not-collected
  (declare (salience -10))
  (nsx-host ?h)
  (not (host-nic (host ?h) (source "esxcli-ip-interface")))
  (not (vmkping-result (host ?h) (netstack "vxlan") (outcome "message-too-long")))
  =>
  (assert (hakb-unverified (rule "nsx-vxlan-mtu") (host ?h)
                           (check "MTU of the VXLAN vmkernel interfaces (needs 1600)")
                           (collect (str-cat "collect `esxcli network ip interface list` from " ?h)))))

(defrule nsx-vxlan-mtu-unverified-no-vtep
  (declare (salience -10))
  (nsx-host ?h)
  ?n <- (host-nic (host ?h) (source "esxcli-ip-interface"))
  (not (host-nic (host ?h) (netstack "vxlan")))
  (not (vmkping-result (host ?h) (netstack "vxlan") (outcome "message-too-long")))
  =>
  (assert (hakb-unverified (rule "nsx-vxlan-mtu") (host ?h) (evidence ?n)
                           (check (str-cat "no vmkernel interface on the vxlan netstack: VXLAN is not "
                                           "prepared on this host, or it is outside the transport zone"))
                           (collect (str-cat "check Host Preparation for " ?h " in the vCNS Manager; once "
                                             "VXLAN is configured, collect `esxcli network ip interface list` "
                                             "from " ?h " again")))))
