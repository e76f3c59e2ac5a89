package org.fedorabuild.hub.cli;

import org.fedorabuild.hub.config.HubConfig;

/** The client settings that point koji and fedpkg/rpkg at this hub. */
final class ProfileText {
    /** The fast-upload chunk size the printed koji profile asks for. */
    static final int UPLOAD_BLOCKSIZE = 16 << 20;

    private ProfileText() {
    }

    /** A koji profile for {@code ~/.koji/config.d/PROFILE.conf}. */
    static String koji(HubConfig config, String profile, String user) {
        String https = config.tlsListen() == null ? null
                : "https://" + (config.publicUrl().replaceFirst("^https?://", "").replaceFirst(":\\d+$", "")) + ":"
                        + config.tlsListen().port() + "/kojihub";
        StringBuilder sb = new StringBuilder();
        sb.append("[").append(profile).append("]\n");
        sb.append("server = ").append(config.hubUrl()).append("\n");
        sb.append("weburl = ").append(config.publicUrl()).append("/koji\n");
        sb.append("topurl = ").append(config.publicUrl()).append("/kojifiles\n");
        sb.append("authtype = password\n");
        // each fast-upload chunk is a request with its own round trip and session check: 16 MiB instead of koji's
        // 1 MiB default makes an SRPM upload quicker (docs/benchmarks.md). Only the fast upload (koji's default)
        // takes chunks that size: the old uploadFile call carries them base64 in XML, within MaxRequestLength.
        sb.append("use_fast_upload = true\n");
        sb.append("upload_blocksize = ").append(UPLOAD_BLOCKSIZE).append("\n");
        // koji's config reader ignores user and password keys: the CLI takes them only as options
        sb.append("# the koji CLI reads the user and password (an API token: copr-hub token new ").append(user)
                .append(") only from its command line,\n# where other local users can see it (ps); keep the token in a file only you can read:\n");
        sb.append("#   koji -p ").append(profile).append(" --user ").append(user)
                .append(" --password \"$(cat ~/.config/copr-hub/token)\" ...\n");
        if (https == null) {
            sb.append("# on a shared machine use certificate login instead (the hub's TLSListen, TLSClientCA; docs/security.md)\n");
        } else {
            sb.append("# certificate login instead, no secret on any command line (certificate CN = ").append(user).append("):\n");
            sb.append("#   server = ").append(https).append("\n");
            sb.append("#   authtype = ssl\n#   cert = ~/.koji/").append(user).append(".pem\n#   serverca = ~/.koji/copr-hub-ca.pem\n");
        }
        return sb.toString();
    }

    /** The fedpkg (rpkg) settings: which koji profile builds go to. */
    static String fedpkg(String profile) {
        return "[fedpkg]\n"
                + "kojiprofile = " + profile + "\n"
                + "build_client = koji\n"
                + "# builds name a Copr target explicitly: fedpkg build --target OWNER/PROJECT\n"
                + "#   (every chroot) or --target OWNER/PROJECT/CHROOT (one chroot)\n";
    }

    /**
     * A copr-cli config for {@code ~/.config/copr}: login = the user name, token = one of its API tokens (the one
     * given, else a placeholder), and {@code encrypted = False} when the hub is plain http (python-copr refuses http
     * otherwise).
     */
    static String coprCli(HubConfig config, String user, String token) {
        StringBuilder sb = new StringBuilder("[copr-cli]\n");
        sb.append("login = ").append(user).append("\n");
        sb.append("username = ").append(user).append("\n");
        if (token == null) {
            sb.append("# an API token of ").append(user).append(": copr-hub token new ").append(user).append("\n");
            sb.append("token = TOKEN\n");
        } else {
            sb.append("token = ").append(token).append("\n");
        }
        sb.append("copr_url = ").append(config.publicUrl()).append("\n");
        if (config.publicUrl().startsWith("http://")) {
            sb.append("# copr-cli refuses an http:// copr_url without this\n");
            sb.append("encrypted = False\n");
        }
        sb.append("gssapi = False\n");
        return sb.toString();
    }
}
