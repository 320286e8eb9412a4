;;; nsx-vxlan-path-drops: 1600-byte VXLAN frames leave the host but never come back.
;;;
;;; vmkping ++netstack=vxlan -d -s 1572 (1600 bytes on the wire, don't fragment) that loses
;;; every packet without "Message too long": the local interface took the frame, so a switch
;;; or router between the VTEPs drops frames above its MTU. Payloads between 1473 and 1572
;;; bytes are judged (bigger than a 1500 MTU passes, not bigger than VXLAN needs). Key:
;;; "<host> -> <target>".

(defrule nsx-vxlan-path-drops
  ?p <- (vmkping-result (host ?h) (netstack "vxlan") (outcome "no-reply") (df TRUE)
                        (size ?size&:(integerp ?size)&:(> ?size 1472)&:(<= ?size 1572))
                        (target ?target) (vmk ?vmk) (sent ?sent))
  =>
  (assert (hakb-finding (id "nsx-vxlan-path-drops") (key (str-cat ?h " -> " ?target)) (evidence ?p)
                        (vars host ?h target ?target vmk ?vmk size ?size packet (+ ?size 28)
                              sent ?sent))))

;; A small ping to the same peer answered: the peer is up, only big frames are lost.
(defrule nsx-vxlan-path-drops-small-frames-pass
  ?p <- (vmkping-result (host ?h) (netstack "vxlan") (outcome "no-reply") (df TRUE)
                        (size ?size&:(integerp ?size)&:(> ?size 1472)&:(<= ?size 1572)) (target ?target))
  ?q <- (vmkping-result (host ?h) (netstack "vxlan") (target ?target) (outcome "success"|"partial-loss")
                        (size ?small&:(integerp ?small)&:(<= ?small 1472)))
  =>
  (assert (hakb-finding (id "nsx-vxlan-path-drops") (key (str-cat ?h " -> " ?target)) (evidence ?q)
                        (vars small_ok ?small))))

(defrule nsx-vxlan-path-ok
  (nsx-host ?h)
  ?p <- (vmkping-result (host ?h) (netstack "vxlan") (outcome "success"|"partial-loss") (df TRUE)
                        (size ?size&:(integerp ?size)&:(>= ?size 1572)) (target ?target))
  (not (vmkping-result (host ?h) (netstack "vxlan") (outcome "message-too-long")))
  (not (vmkping-result (host ?h) (netstack "vxlan") (outcome "no-reply") (df TRUE)
                       (size ?lost&:(integerp ?lost)&:(> ?lost 1472)&:(<= ?lost 1572))))
  =>
  (assert (nsx-ok vxlan-path ?h (str-cat ?h " -> " ?target ": " (+ ?size 28)
                                         "-byte frames pass (vmkping -d -s " ?size ")") ?p)))

(defrule nsx-vxlan-path-unverified-no-test
  (declare (salience -10))
  (nsx-host ?h)
  (not (vmkping-result (host ?h) (netstack "vxlan") (outcome "success"|"partial-loss") (df TRUE)
                       (size ?ok&:(integerp ?ok)&:(>= ?ok 1572))))
  (not (vmkping-result (host ?h) (netstack "vxlan") (outcome "no-reply") (df TRUE)
                       (size ?lost&:(integerp ?lost)&:(> ?lost 1472)&:(<= ?lost 1572))))
  (not (vmkping-result (host ?h) (netstack "vxlan") (outcome "message-too-long")))
  =>
  (assert (hakb-unverified (rule "nsx-vxlan-path-drops") (host ?h)
                           (check "1600-byte VXLAN frames to the other VTEPs")
                           (collect (str-cat "run `vmkping ++netstack=vxlan -d -s 1572 -I <vxlan vmk> "
                                             "<VTEP IP of another host>` on " ?h " and collect the output")))))

;; The local interface refused the frame, so the path behind it was never tested.
(defrule nsx-vxlan-path-unverified-after-local-failure
  (declare (salience -10))
  (nsx-host ?h)
  ?p <- (vmkping-result (host ?h) (netstack "vxlan") (outcome "message-too-long") (target ?target))
  (not (vmkping-result (host ?h) (netstack "vxlan") (outcome "success"|"partial-loss") (df TRUE)
                       (size ?ok&:(integerp ?ok)&:(>= ?ok 1572))))
  =>
  (assert (hakb-unverified (rule "nsx-vxlan-path-drops") (host ?h) (evidence ?p)
                           (check (str-cat "path MTU to " ?target ": not tested, the local interface "
                                           "refused the frame first"))
                           (collect (str-cat "after raising the VXLAN interface MTU, run `vmkping "
                                             "++netstack=vxlan -d -s 1572 " ?target "` on " ?h " again")))))
