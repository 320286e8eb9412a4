;;; nsx-vcns-end-of-support: a vShield/vCNS Manager version was seen; vCNS 5.5 is past its end
;;; of general support. Information for the upgrade ticket, not a fault. Key: the version.

(defrule nsx-vcns-end-of-support
  ?v <- (nsx-version (product "vcns") (name ?name) (version ?version) (build_number ?build))
  =>
  (assert (hakb-finding (id "nsx-vcns-end-of-support") (key ?version) (evidence ?v)
                        (vars name ?name version ?version build ?build
                              line (if (eq (str-index "5.5" ?version) 1) then "5.5" else "")))))
