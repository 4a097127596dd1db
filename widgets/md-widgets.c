/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-widgets"

#include "config.h"

#include <gst/gst.h>

#include "md-context-strip.h"
#include "md-frame-player.h"
#include "md-image-pane.h"
#include "md-language-grid.h"
#include "md-long-text-window.h"
#include "md-media-view.h"
#include "md-pair-text.h"
#include "md-widgets.h"
#include "md-widgets-resources.h"

void
md_widgets_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

      gst_init (NULL, NULL);
      md_widgets_register_resource ();

      gtk_css_provider_load_from_resource (provider,
                                           "/io/github/mimicdesk/MimicDesk/widgets/widgets/style.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

      g_type_ensure (MD_TYPE_IMAGE_PANE);
      g_type_ensure (MD_TYPE_FRAME_PLAYER);
      g_type_ensure (MD_TYPE_MEDIA_VIEW);
      g_type_ensure (MD_TYPE_LANGUAGE_GRID);
      g_type_ensure (MD_TYPE_CONTEXT_STRIP);
      g_type_ensure (MD_TYPE_PAIR_TEXT);
      g_type_ensure (MD_TYPE_LONG_TEXT_WINDOW);
      g_once_init_leave (&initialized, 1);
    }
}
