#!/bin/sh
# Fills the ARI credentials and SIP bind address in from the environment, then runs
# Asterisk in the foreground as the asterisk user.
#   ARI_USER, ARI_PASSWORD (required outside development), ARI_APP, SIP_BIND (0.0.0.0:5060)
set -eu
: "${ARI_USER:=hotline}" "${ARI_PASSWORD:=hotline-dev-secret}" "${ARI_APP:=hotline}" "${SIP_BIND:=0.0.0.0:5060}"
cd /etc/asterisk
sed -i -e "s|@ARI_USER@|$ARI_USER|g" -e "s|@ARI_PASSWORD@|$ARI_PASSWORD|g" ari.conf
sed -i -e "s|@ARI_APP@|$ARI_APP|g" extensions.conf
sed -i -e "/^\[transport-udp\]/,/^\[/ s|^bind = .*|bind = $SIP_BIND|" pjsip.conf
# the volumes may come up owned by root
chown asterisk:asterisk /var/spool/asterisk/recording /var/log/asterisk/cdr-custom 2>/dev/null || true
exec /usr/sbin/asterisk -f -U asterisk -G asterisk "$@"
