;;; federation-trust-certificate: Exchange 2010 RTM (14.0, e.g. 14.0.639.21) needs a federation
;;; trust certificate from a trusted third-party CA; from SP1 (14.1) on, a self-signed certificate
;;; (the New Federation Trust wizard makes one) or one from an internal PKI is accepted.

(deffunction federation-trust-not-third-party (?self-signed ?root-ca-type)
  (or (eq ?self-signed TRUE)
      (and (neq ?root-ca-type "") (neq (lowcase ?root-ca-type) "thirdparty"))))

;;; Joins go through one fact per trust, per RTM server and per certificate (built first), so the
;;; same evidence seen k times (k bundles of one incident) costs O(k) firings: the conclusion is
;;; asserted once per trust certificate and each line that shows it adds itself as evidence.
(deftemplate ftc-trust "A federation trust and its certificate's thumbprint (upper case)." (slot name) (slot tp))
(deftemplate ftc-server "An Exchange 2010 RTM server." (slot name) (slot version))
(deftemplate ftc-thumbprint "A collected certificate's thumbprint (upper case)." (slot tp))
(deftemplate ftc-cert "A collected certificate that is not from a third-party CA."
  (slot tp) (slot subject) (slot issuer) (slot self_signed) (slot root_ca_type))
(deftemplate ftc-found "The finding of this thumbprint." (slot tp))

(defrule federation-trust-certificate-trust
  (declare (salience 10))
  (federation-trust (name ?trust) (org_certificate ?tp&~""))
  =>
  (assert (ftc-trust (name ?trust) (tp (upcase ?tp)))))

(defrule federation-trust-certificate-server
  (declare (salience 10))
  (exchange-server (name ?server) (major 14) (minor 0) (version ?v))
  =>
  (assert (ftc-server (name ?server) (version ?v))))

(defrule federation-trust-certificate-cert
  (declare (salience 10))
  (certificate (thumbprint ?ctp) (subject ?subject) (issuer ?issuer) (self_signed ?ss) (root_ca_type ?rt))
  =>
  (assert (ftc-thumbprint (tp (upcase ?ctp))))
  (if (federation-trust-not-third-party ?ss ?rt) then
    (assert (ftc-cert (tp (upcase ?ctp)) (subject ?subject) (issuer ?issuer) (self_signed ?ss) (root_ca_type ?rt)))))

(defrule federation-trust-certificate-rtm
  "A federation trust certificate that is not from a third-party CA, with an Exchange 2010 RTM server."
  (ftc-trust (name ?trust) (tp ?tp))
  (ftc-server (name ?server) (version ?v))
  (ftc-cert (tp ?tp) (subject ?subject) (issuer ?issuer) (self_signed ?ss) (root_ca_type ?rt))
  =>
  (assert (ftc-found (tp ?tp)))
  (assert (hakb-finding (id "federation-trust-certificate") (key ?tp)
            (vars trust ?trust thumbprint ?tp subject ?subject issuer ?issuer server ?server
                  version ?v self_signed (if (eq ?ss TRUE) then "yes" else "") root_ca_type ?rt))))

(defrule federation-trust-certificate-evidence
  "The trust's lines, the RTM servers' lines and the certificate's lines."
  (ftc-found (tp ?tp))
  (or ?e <- (federation-trust (org_certificate ?t&:(eq (upcase ?t) ?tp)))
      ?e <- (exchange-server (major 14) (minor 0))
      ?e <- (certificate (thumbprint ?ctp&:(eq (upcase ?ctp) ?tp)) (self_signed ?ss)
                         (root_ca_type ?rt&:(federation-trust-not-third-party ?ss ?rt))))
  =>
  (assert (hakb-finding (id "federation-trust-certificate") (key ?tp) (evidence ?e))))

(defrule federation-trust-certificate-unknown
  "An Exchange 2010 RTM server and a federation trust whose certificate was not collected."
  (federation-trust (org_certificate ?tp&~""))
  (ftc-server (name ?server))
  (not (ftc-thumbprint (tp ?utp&:(eq ?utp (upcase ?tp)))))
  =>
  (assert (hakb-unverified (rule "federation-trust-certificate")
            (check (str-cat "whether federation trust certificate " ?tp " comes from a third-party CA ("
                            ?server " runs Exchange 2010 RTM)"))
            (collect (str-cat "Get-ExchangeCertificate -Thumbprint " ?tp " | fl")))))
