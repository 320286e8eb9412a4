;;; certificate-no-private-key: a certificate bound to a service without its private key
;;; (imported from a .cer instead of a .pfx, or the request was completed on another server):
;;; the service cannot use it for TLS.

(defrule certificate-no-private-key
  ?c <- (certificate (thumbprint ?t&~"") (has_private_key FALSE) (services $?svc&:(> (length$ ?svc) 0))
                     (subject ?subject) (server ?server))
  =>
  (bind ?text "")
  (progn$ (?s ?svc) (bind ?text (if (eq ?text "") then (str-cat ?s) else (str-cat ?text ", " ?s))))
  (assert (hakb-finding (id "certificate-no-private-key") (key ?t) (evidence ?c)
            (vars thumbprint ?t subject ?subject services ?text server ?server))))
