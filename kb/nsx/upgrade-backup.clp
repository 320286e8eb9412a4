;;; nsx-upgrade-backup: no Manager backup or no tech support bundle before the upgrade.
;;;
;;; Evidence is a listing (`ls -l` or `dir`) of the folder the backup and the bundle were saved
;;; to: file names containing "backup" / "tech support". A listing without them proves they are
;;; missing there; no listing leaves the check unverified. Keys: "backup", "tech-support".

(defrule nsx-upgrade-backup-missing
  ?l <- (upgrade-file-listing (backups 0) (folder ?folder) (files ?files))
  (not (upgrade-file (kind "backup")))
  =>
  (assert (hakb-finding (id "nsx-upgrade-backup") (key "backup") (evidence ?l)
                        (vars missing "Manager backup" folder ?folder files ?files))))

(defrule nsx-upgrade-backup-missing-bundle
  ?l <- (upgrade-file-listing (tech_support 0) (folder ?folder) (files ?files))
  (not (upgrade-file (kind "tech-support")))
  =>
  (assert (hakb-finding (id "nsx-upgrade-backup") (key "tech-support") (evidence ?l)
                        (vars missing "tech support bundle" folder ?folder files ?files))))

(defrule nsx-upgrade-backup-ok
  ?f <- (upgrade-file (kind ?kind&"backup"|"tech-support") (file ?file) (date ?date))
  =>
  (assert (nsx-ok (sym-cat ?kind) ?file
                  (str-cat (if (eq ?kind "backup") then "backup " else "tech support bundle ") ?file
                           (if (neq ?date "") then (str-cat " (" ?date ")") else ""))
                  ?f)))

(defrule nsx-upgrade-backup-unverified-backup
  (declare (salience -10))
  (nsx-scope)
  (not (upgrade-file (kind "backup")))
  (not (upgrade-file-listing))
  =>
  (assert (hakb-unverified (rule "nsx-upgrade-backup")
                           (check "a vCNS Manager backup taken before the upgrade")
                           (collect (str-cat "collect a listing (`ls -l` or `dir`) of the backup server folder "
                                             "the Manager writes its backups to")))))

(defrule nsx-upgrade-backup-unverified-bundle
  (declare (salience -10))
  (nsx-scope)
  (not (upgrade-file (kind "tech-support")))
  (not (upgrade-file-listing))
  =>
  (assert (hakb-unverified (rule "nsx-upgrade-backup")
                           (check "a Manager tech support bundle saved before the upgrade")
                           (collect (str-cat "collect a listing (`ls -l` or `dir`) of the folder the tech "
                                             "support bundle was saved to")))))
